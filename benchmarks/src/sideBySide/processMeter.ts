import { readdirSync, readFileSync } from 'node:fs';

/** Linux clock ticks per second (USER_HZ), which /proc/<pid>/stat counts CPU time in. */
const TICKS_PER_SECOND = 100;

interface Sample {
  ticks: number;
  hwmKb: number;
}

function readSample(pid: number): Sample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+)/.exec(status);
    return { ticks, hwmKb: hwm ? Number(hwm[1]) : 0 };
  } catch {
    return undefined; // gone
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds and peak RSS of a process and all its descendants (a system under test may be several processes),
 * sampled from /proc. CPU is the sum of each process's last sample; peak RSS the sum of each process's VmHWM
 * (its own peak), an upper bound of the tree's simultaneous peak.
 */
export class ProcessMeter {
  private readonly seen = new Map<number, Sample>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly root: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
  }

  sample(): void {
    const tree = new Set([this.root]);
    // Descendants: repeat until no new child is found (children appear after their parents in most scans).
    const pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
    const parents = new Map(pids.map((pid) => [pid, parentOf(pid)]));
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, parent] of parents) {
        if (!tree.has(pid) && parent !== undefined && tree.has(parent)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of tree) {
      const sample = readSample(pid);
      if (sample !== undefined) this.seen.set(pid, sample);
    }
  }

  /** Takes a last sample and stops sampling. */
  stop(): { cpuSeconds: number; peakRssMb: number; processes: number } {
    this.sample();
    clearInterval(this.timer);
    let ticks = 0;
    let hwm = 0;
    for (const s of this.seen.values()) {
      ticks += s.ticks;
      hwm += s.hwmKb;
    }
    return { cpuSeconds: ticks / TICKS_PER_SECOND, peakRssMb: hwm / 1024, processes: this.seen.size };
  }
}
