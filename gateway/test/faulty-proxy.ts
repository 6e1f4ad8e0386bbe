/**
 * A TCP proxy in front of a real Postgres or Redis that can fail the way networks and servers do:
 * `hang()` accepts and reads but answers nothing (a hung server, a partition that drops packets),
 * `refuse()` drops every connection and refuses new ones (a server that is down), `heal()` passes
 * traffic again (connections broken by the fault stay broken, as after a real one).
 */
import net from 'node:net';

export type Fault = 'none' | 'hang' | 'refuse';

export class FaultyProxy {
  private fault: Fault = 'none';
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<FaultyProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new FaultyProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, target));
    return proxy;
  }

  /** `url` with its host and port replaced by this proxy's. */
  in(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    if (this.fault === 'refuse') return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        // Hung: what was sent is lost. A connection that lost bytes is out of step for good.
        if (this.fault === 'hang') (from as net.Socket & { broken?: boolean }).broken = true;
        else if (!(from as net.Socket & { broken?: boolean }).broken) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  hang(): void {
    this.fault = 'hang';
  }

  refuse(): void {
    this.fault = 'refuse';
    for (const socket of this.sockets) socket.destroy();
  }

  heal(): void {
    // Connections that lost bytes while hung cannot recover: reset them, as a real peer would.
    for (const socket of this.sockets) if ((socket as net.Socket & { broken?: boolean }).broken) socket.destroy();
    this.fault = 'none';
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
