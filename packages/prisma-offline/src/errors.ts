// Errors in the shapes the Prisma CLI reads from the native schema engine: JSON-RPC error objects
// whose `data` it turns into "P3005: …" messages, and tracing lines on stderr for one-shot commands.
import { panicMessage } from './wasm-engine.js';

export interface ErrorData {
  is_panic: boolean;
  message: string;
  error_code?: string;
  meta?: unknown;
}

/** An error the shim raises itself, with a Prisma error code the CLI knows. */
export class KnownError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly meta: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const PRISMA_CODE = /^P\d{4}$/;

export function errorData(error: unknown): ErrorData {
  if (error instanceof KnownError) {
    return { is_panic: false, message: error.message, error_code: error.errorCode, meta: error.meta };
  }
  const panic = panicMessage(error);
  if (panic !== undefined) return { is_panic: true, message: panic };
  if (error instanceof Error) {
    const fields = error as Error & { code?: unknown; meta?: unknown };
    const code = [fields.code, error.name].find((c): c is string => typeof c === 'string' && PRISMA_CODE.test(c));
    return { is_panic: false, message: error.message, error_code: code, meta: fields.meta };
  }
  return { is_panic: false, message: String(error) };
}

/** The JSON-RPC error object the native engine sends for a failed request. */
export function rpcError(error: unknown): { code: number; message: string; data: ErrorData } {
  return { code: 4466, message: 'An error happened. Check the data field for details.', data: errorData(error) };
}

/** One tracing line as the native engine writes it to stderr. */
export function logLine(level: 'INFO' | 'ERROR', fields: Record<string, unknown>): string {
  return `${JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: 'schema_engine::logger' })}\n`;
}
