// Preload (NODE_OPTIONS=--import): --cpu-prof for processes whose NODE_OPTIONS may not carry it.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err)
        writeFileSync(
          `${process.env.PROF_DIR}/${process.argv[1].split('/').slice(-3).join('_')}-${process.pid}.cpuprofile`,
          JSON.stringify(result.profile),
        );
    });
  });
}
