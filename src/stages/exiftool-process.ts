import { spawn, type ChildProcess } from 'node:child_process';
import { ExifTool, exiftoolPath } from 'exiftool-vendored';
import { defaultTags, type ExifOptions } from './exif.js';

/**
 * How shoebox starts ExifTool: `perl -e LAUNCHER PARENT PRCTL WANTED SCRIPT -stay_open True -@ -`.
 * The launcher does three things before it runs the exiftool script in its own process (`do`):
 *
 * 1. It ends with shoebox. ExifTool in `-stay_open` mode never notices that the process feeding
 *    it is gone: at the end of its input it sleeps 10 ms and reads again, forever (exiftool's
 *    ReadStayOpen), so a shoebox killed outright (SIGKILL, the OOM killer) would leave one perl
 *    per worker behind. On Linux the kernel ends it (prctl PR_SET_PDEATHSIG, through perl's own
 *    `syscall`: no module, no second process). Elsewhere, or if that call fails, a guard process
 *    stays in front: it forks ExifTool, ends it when shoebox disappears, forwards the TERM that
 *    batch-cluster sends on shutdown and exits with ExifTool's status (~4 MB a guard).
 * 2. It keeps ExifTool's writer out of a reading process. ExifTool loads Writer.pl (and with it
 *    TagLookup.pm, ~11 MB of perl) on the first call of a helper that lives there, and reading
 *    calls three of them: Get64u/Get64s (Apple's binary plists in iPhone JPEGs and HEICs, 64-bit
 *    values) and GetLangInfo (ICC profiles' localised strings). XMP's reader likewise loads
 *    WriteXMP.pl for the byte-order helpers that file imports from Image::ExifTool. The launcher
 *    answers exactly those calls with the same code (the three subs are compiled from the
 *    installed Writer.pl's own text; the XMP ones are the very subs WriteXMP.pl would import),
 *    and every other call loads the writer as before.
 * 3. It builds only the composite tags the request can use. ExifTool builds every composite tag
 *    whose sources a file has, asked for or not (a fifth to a quarter of its CPU on the corpus),
 *    and one of them, a DNG's ThumbnailTIFF, calls the writer. WANTED lists the tags the
 *    pipeline asks for (empty: all tags, or a pattern, so everything is built): each time
 *    ExifTool builds composites, the launcher sets aside those that neither have a wanted name
 *    nor are needed, through Require, Desire or Inhibit, by one that is kept (so what is built,
 *    and what inhibits what, is as before), and puts them back after.
 *
 * SHOEBOX_EXIFTOOL_MODULES=1 makes ExifTool print the writer modules it loaded when it exits (a
 * test checks that a read loads none).
 */
const LAUNCHER = String.raw`
my ($parent, $prctl, $wanted, $script) = splice(@ARGV, 0, 4);
my $dies = $prctl && eval { syscall($prctl, 1, 9) == 0 };  # PR_SET_PDEATHSIG, SIGKILL
if (getppid() != $parent) { print STDERR "shoebox's ExifTool: the process that started it is gone\n"; exit 1; }
unless ($dies) {
  my $pid = fork();
  die "fork: $!" unless defined $pid;
  if ($pid) {
    $SIG{TERM} = $SIG{INT} = $SIG{HUP} = sub { kill 'TERM', $pid; waitpid($pid, 0); exit 0; };
    for (;;) {
      my $r = waitpid($pid, 1); # WNOHANG (1 on Linux and macOS); use POSIX would cost 2.6 MB
      exit($? >> 8) if $r == $pid;
      if (getppid() != $parent) { kill 'TERM', $pid; sleep 1; kill 'KILL', $pid; exit 1; }
      sleep 1;
    }
  }
}
(my $lib = $script) =~ s{[^/\\]*$}{lib};
unshift @INC, $lib;
require Image::ExifTool;
{
  my %lean;
  if (open my $fh, '<', "$lib/Image/ExifTool/Writer.pl") {
    local $/;
    my $src = <$fh>;
    for my $name (qw(Get64s Get64u GetLangInfo)) {
      next unless $src =~ /^sub $name\(\$\$\)\n(\{\n.*?\n\})\n/ms;
      my $code = eval "package Image::ExifTool; sub $1";
      $lean{"Image::ExifTool::$name"} = $code if ref $code eq 'CODE';
    }
  }
  no strict 'refs';
  for my $tags (qw(DataAccess Utils)) {
    $lean{"Image::ExifTool::XMP::$_"} = \&{"Image::ExifTool::$_"} for @{$Image::ExifTool::EXPORT_TAGS{$tags}};
  }
  my $autoload = \&Image::ExifTool::DoAutoLoad;
  no warnings 'redefine';
  *Image::ExifTool::DoAutoLoad = sub {
    my $code = $lean{$_[0]};
    my $file = $_[0] =~ /^Image::ExifTool::XMP::/ ? 'Image/ExifTool/WriteXMP.pl' : 'Image/ExifTool/Writer.pl';
    return $autoload->(@_) if !$code || $INC{$file};
    shift;
    return $code->(@_);
  };
}
if ($wanted ne '') {
  my %want = map { lc($_) => 1 } split /,/, $wanted;
  my ($size, @aside) = (-1);
  my $build = \&Image::ExifTool::BuildCompositeTags;
  no warnings 'redefine';
  *Image::ExifTool::BuildCompositeTags = sub {
    my $table = Image::ExifTool::GetTagTable('Image::ExifTool::Composite');
    if (keys %$table != $size) {  # modules add composites as formats are met
      my @ids = grep { !$Image::ExifTool::specialTags{$_} && ref $$table{$_} eq 'HASH' && defined $$table{$_}{Name} } keys %$table;
      my %need = %want;
      for (my $more = 1; $more; ) {
        $more = 0;
        for my $id (@ids) {
          my $info = $$table{$id};
          next unless $need{lc $$info{Name}};
          for my $kind (qw(Require Desire Inhibit)) {
            next unless ref $$info{$kind} eq 'HASH';
            for my $dep (values %{$$info{$kind}}) {
              (my $name = lc $dep) =~ s/.*://;
              $more = 1 unless $need{$name}++;
            }
          }
        }
      }
      @aside = grep { !$need{lc $$table{$_}{Name}} } @ids;
      $size = keys %$table;
    }
    delete local @$table{@aside};
    return $build->(@_);
  };
}
END { print STDERR 'shoebox-exiftool-modules: ', join(',', sort grep { m{/Write|/TagLookup} } keys %INC), "\n" if $ENV{SHOEBOX_EXIFTOOL_MODULES} }
$0 = $script;
$^W = 1;
do $script;
die $@ if $@;
`;

/** prctl's number in the Linux syscall table, by Node's name for the CPU; 0 = use the guard. */
const PRCTL: Record<string, number> = { x64: 157, arm64: 167, riscv64: 167, loong64: 167, ia32: 172, arm: 172, s390x: 172, ppc64: 171, ppc: 171 };

/** The prctl syscall number on this machine, or 0 where the launcher keeps a guard process. */
export function defaultPrctl(): number {
  return process.platform === 'linux' ? (PRCTL[process.arch] ?? 0) : 0;
}

/**
 * The tag names a request can answer with, without groups ('EXIF:Make' is Make), for the
 * launcher's composite rule; none (build every composite) for all tags or a name with a pattern.
 */
export function wantedTags(tags: ExifToolOptions['tags'] = 'default'): string[] {
  if (tags === 'all') return [];
  const names = (tags === 'default' ? defaultTags() : tags).map((t) => t.replace(/^.*:/, '').replace(/#$/, ''));
  return names.some((n) => !/^[A-Za-z0-9_-]+$/.test(n) || n.toLowerCase() === 'all') ? [] : names;
}

/** The arguments of `perl` that start ExifTool as shoebox does; `args` follow the script. */
export function launcherArgs(script: string, args: string[], tags: ExifToolOptions['tags'] = 'default', prctl = defaultPrctl()): string[] {
  return ['-e', LAUNCHER, String(process.pid), String(prctl), wantedTags(tags).join(','), script, ...args];
}

const STAY_OPEN = ['-stay_open', 'True', '-@', '-'];

export interface ExifToolOptions {
  maxProcs: number;
  geolocation?: boolean;
  taskTimeoutMillis?: number;
  /** The tags the pipeline asks for (as the exif stage's `tags`). */
  tags?: ExifOptions['tags'];
}

/** The ExifTool the pipeline reads with: its processes end with shoebox, however it ends. */
export function openExifTool(opts: ExifToolOptions): ExifTool {
  // perl is found on PATH, as exiftool-vendored does.
  const spawnExifTool = async (): Promise<ChildProcess> =>
    spawn('perl', launcherArgs(await exiftoolPath(), STAY_OPEN, opts.tags), {
      stdio: 'pipe',
      shell: false,
      detached: false,
      env: { ...process.env, LANG: 'C' },
    });
  return new ExifTool({
    maxProcs: opts.maxProcs,
    geolocation: opts.geolocation ?? false,
    taskTimeoutMillis: opts.taskTimeoutMillis ?? 120_000,
    // batch-cluster waits 1.5 s between spawns by default: the second process would start 1.5 s
    // after the first, with requests already waiting for it. maxProcs bounds the processes.
    minDelayBetweenSpawnMillis: 0,
    processFactory: spawnExifTool,
  });
}
