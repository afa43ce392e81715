import { spawn, type ChildProcess } from 'node:child_process';
import { ExifTool, exiftoolPath } from 'exiftool-vendored';

/**
 * ExifTool in `-stay_open` mode never notices that the process feeding it is gone: at the end
 * of its input it sleeps 10 ms and reads again, forever (exiftool's ReadStayOpen). A shoebox
 * that is killed outright (SIGKILL, the OOM killer) would leave one such perl process per
 * worker behind. This guard runs ExifTool as its child and ends it when shoebox disappears; it
 * forwards the TERM that batch-cluster sends on shutdown, and exits with ExifTool's status.
 */
const GUARD = `
my $parent = getppid();
my $pid = fork();
die "fork: $!" unless defined $pid;
if ($pid == 0) { exec($^X, @ARGV) or die "exec: $!"; }
$SIG{TERM} = $SIG{INT} = $SIG{HUP} = sub { kill 'TERM', $pid; waitpid($pid, 0); exit 0; };
for (;;) {
  my $r = waitpid($pid, 1); # WNOHANG (1 on Linux and macOS); use POSIX would cost 2.6 MB a guard
  exit($? >> 8) if $r == $pid;
  if (getppid() != $parent) { kill 'TERM', $pid; sleep 1; kill 'KILL', $pid; exit 1; }
  sleep 1;
}
`;

const STAY_OPEN = ['-stay_open', 'True', '-@', '-'];

/** Spawns a guarded ExifTool; `perl` is found on PATH like exiftool-vendored does. */
async function spawnGuarded(): Promise<ChildProcess> {
  const script = await exiftoolPath();
  return spawn('perl', ['-e', GUARD, script, ...STAY_OPEN], {
    stdio: 'pipe',
    shell: false,
    detached: false,
    env: { ...process.env, LANG: 'C' },
  });
}

export interface ExifToolOptions {
  maxProcs: number;
  geolocation?: boolean;
  taskTimeoutMillis?: number;
}

/** The ExifTool the pipeline reads with: its processes end with shoebox, however it ends. */
export function openExifTool(opts: ExifToolOptions): ExifTool {
  return new ExifTool({
    maxProcs: opts.maxProcs,
    geolocation: opts.geolocation ?? false,
    taskTimeoutMillis: opts.taskTimeoutMillis ?? 120_000,
    processFactory: spawnGuarded,
  });
}
