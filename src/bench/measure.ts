/**
 * Runs one command and watches its whole process tree through /proc: the node process with its
 * worker threads, the ExifTool perl processes it starts, anything else below it. Every
 * `intervalMs` it sums VmRSS over the tree (the peak of that sum is the run's peak memory) and
 * reads each process's CPU time, so a run can say how its CPU split between node and ExifTool.
 *
 * Linux only. The RSS sum counts pages shared between processes (perl's and node's libraries)
 * once per process, so it errs high, never low. CPU time is the last value seen for each
 * process: up to one interval of a process's last moments can be missed.
 */
import { spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync, closeSync } from 'node:fs';
import { basename } from 'node:path';

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Sampling period; default 50 ms. */
  intervalMs?: number;
  /** Where the command's stdout goes: kept in memory (default) or discarded. */
  stdout?: 'capture' | 'discard';
}

export interface Measurement {
  argv: string[];
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The largest sum of VmRSS over the process tree seen by one sample. */
  peakRssBytes: number;
  /** At that peak: RSS by command name (`node`, `perl`, …). */
  peakByName: Record<string, number>;
  /** Most processes seen at once in the tree. */
  maxProcesses: number;
  /** CPU time (user + system) by command name, summed over the processes of that name. */
  cpuMsByName: Record<string, number>;
  /** CPU time of the root process's main thread (its other threads: cpuMsByName minus this). */
  mainThreadCpuMs: number;
  samples: number;
  stdout: string;
  stderr: string;
}

/** USER_HZ, the unit of utime/stime in /proc/PID/stat; 100 on every Linux that Node runs on. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  name: string;
  ppid: number;
  cpuTicks: number;
}

/** Parses /proc/PID/stat (or /proc/PID/task/TID/stat); null once the process is gone. */
export function readStat(path: string): ProcStat | null {
  const text = readSmall(path);
  if (text === null) return null;
  // The name is in parentheses and may itself hold spaces or parentheses: split after the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  return { name: text.slice(open + 1, close), ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
}

/**
 * A process's name for the tables: the last part of argv[0] from /proc/PID/cmdline (`node`,
 * `perl`, `exiftool`), else `fallback` (the name in /proc/PID/stat). The stat name is what a
 * process last called itself, cut to 15 characters: shoebox's ExifTool launcher is perl that sets
 * `$0` to the exiftool script's path, which /proc/PID/stat shows as "/work/main/node".
 */
export function commandName(pid: number, fallback: string): string {
  const argv0 = readSmall(`/proc/${pid}/cmdline`)?.split('\0')[0];
  return argv0 ? basename(argv0) : fallback;
}

/** VmRSS of one process in bytes (all its threads), 0 once it is gone or a zombie. */
export function readRssBytes(pid: number): number {
  const text = readSmall(`/proc/${pid}/status`);
  const m = text === null ? null : /^VmRSS:\s+(\d+) kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Direct children of `pid`, from every thread's `children` list (any thread may have forked). */
export function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  let listed = false;
  for (const tid of tasks) {
    const text = readSmall(`/proc/${pid}/task/${tid}/children`);
    if (text === null) continue;
    listed = true;
    for (const c of text.split(' ')) if (c.trim()) out.push(Number(c));
  }
  // Kernels without CONFIG_PROC_CHILDREN have no `children` files: find children by their ppid.
  return listed || tasks.length === 0 ? out : scanForChildren(pid);
}

function scanForChildren(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (readStat(`/proc/${entry}/stat`)?.ppid === pid) out.push(Number(entry));
  }
  return out;
}

/** The root and every descendant still alive, root first. */
export function processTree(root: number): number[] {
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...childrenOf(pid));
  }
  return out;
}

function readSmall(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return readFileSync(fd, 'latin1');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Samples a process tree until stopped; the bookkeeping of one measured run. */
class TreeSampler {
  readonly #root: number;
  peakRssBytes = 0;
  peakByName: Record<string, number> = {};
  maxProcesses = 0;
  samples = 0;
  /** Last CPU ticks seen, by pid, with the process name. */
  readonly #cpu = new Map<number, { name: string; ticks: number }>();
  #mainTicks = 0;

  constructor(root: number) {
    this.#root = root;
  }

  sample(): void {
    const pids = processTree(this.#root);
    let total = 0;
    const byName: Record<string, number> = {};
    let alive = 0;
    for (const pid of pids) {
      const st = readStat(`/proc/${pid}/stat`);
      if (!st) continue;
      const rss = readRssBytes(pid);
      if (rss > 0) alive++;
      total += rss;
      // A process on its way out has an empty command line: it keeps the name it had.
      const name = commandName(pid, this.#cpu.get(pid)?.name ?? st.name);
      byName[name] = (byName[name] ?? 0) + rss;
      this.#cpu.set(pid, { name, ticks: st.cpuTicks });
    }
    const main = readStat(`/proc/${this.#root}/task/${this.#root}/stat`);
    if (main) this.#mainTicks = main.cpuTicks;
    this.samples++;
    this.maxProcesses = Math.max(this.maxProcesses, alive);
    if (total > this.peakRssBytes) {
      this.peakRssBytes = total;
      this.peakByName = byName;
    }
  }

  cpuMsByName(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { name, ticks } of this.#cpu.values()) out[name] = (out[name] ?? 0) + (ticks * 1000) / TICKS_PER_SECOND;
    return out;
  }

  get mainThreadCpuMs(): number {
    return (this.#mainTicks * 1000) / TICKS_PER_SECOND;
  }
}

/** Runs `argv` to its end while sampling its process tree; never rejects for a non-zero exit. */
export function measure(argv: string[], opts: MeasureOptions = {}): Promise<Measurement> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new RangeError('measure needs a command');
  const interval = opts.intervalMs ?? 50;
  const discard = opts.stdout === 'discard';
  const devNull = discard ? openSync('/dev/null', 'w') : null;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    if (devNull !== null) closeSync(devNull);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    if (child.pid === undefined) {
      child.once('error', reject);
      return;
    }
    const sampler = new TreeSampler(child.pid);
    sampler.sample();
    const timer = setInterval(() => sampler.sample(), interval);
    let wallMs = 0;
    child.once('exit', () => {
      wallMs = performance.now() - started;
      clearInterval(timer);
    });
    child.once('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      resolve({
        argv,
        wallMs,
        exitCode: code,
        signal,
        peakRssBytes: sampler.peakRssBytes,
        peakByName: sampler.peakByName,
        maxProcesses: sampler.maxProcesses,
        cpuMsByName: sampler.cpuMsByName(),
        mainThreadCpuMs: sampler.mainThreadCpuMs,
        samples: sampler.samples,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
