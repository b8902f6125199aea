/**
 * A real `redis-server` (Debian's package) for tests and the bench: started on a free loopback
 * port with no persistence (`--save '' --appendonly no`, in a temporary `--dir`), stopped (and
 * restartable on the same port) by the caller: crashed (SIGKILL: its data is gone) or shut down
 * with `SHUTDOWN SAVE` (one snapshot, loaded again by the next start).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** A running redis-server. */
export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:PORT` */
  url: string;
  /**
   * stops it and waits for the exit: by default SIGKILL (a crash: its claims are lost);
   * `{save: true}` sends `SHUTDOWN SAVE` (a maintenance restart: the next start has them)
   */
  stop(opts?: { save?: boolean }): Promise<void>;
  /** starts it again on the same port, empty */
  start(): Promise<void>;
}

/** A port the OS says is free now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server on a free loopback port; resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'keyhold-redis-'));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${stderr}`))));
    await Promise.race([waitForPort(port), exited]);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async ({ save = false } = {}) => {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        if (!save) {
          proc.kill('SIGKILL');
          return;
        }
        const socket = connect(port, '127.0.0.1', () => socket.write('SHUTDOWN SAVE\r\n'));
        socket.on('error', () => {});
      });
      if (!save) await rm(join(dir, 'dump.rdb'), { force: true });
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.write('PING\r\n');
        socket.once('data', (d) => {
          socket.destroy();
          resolve(d.toString().startsWith('+PONG'));
        });
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not come up on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
