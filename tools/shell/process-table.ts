/**
 * Every command AZ-OS runs, by owner (`task:ID` for the agent working on a task, `client:NAME` for an outside
 * client), so background work can be listed and killed, everything a task started can be ended when the task
 * settles, and everything at all when the server closes. No process outlives its owner.
 */
import { ManagedProcess, loadExeca, type ManagedProcessOptions } from './managed-process.js';

/** Finished background processes kept for list_processes, per table. */
const KEEP_FINISHED = 32;

export class ProcessTable {
  private readonly processes = new Map<string, ManagedProcess>();

  async start(options: ManagedProcessOptions): Promise<ManagedProcess> {
    const managed = new ManagedProcess(options, await loadExeca());
    this.processes.set(managed.id, managed);
    void managed.finished.then(() => {
      if (!managed.background) this.processes.delete(managed.id);
      this.prune();
    });
    return managed;
  }

  get(id: string): ManagedProcess | undefined {
    return this.processes.get(id);
  }

  /** Background processes, newest first; only `owner`'s unless owner is undefined (an admin sees all). */
  list(owner: string | undefined): ManagedProcess[] {
    return [...this.processes.values()]
      .filter(process => process.background && (owner === undefined || process.owner === owner))
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  runningBackground(owner: string): number {
    return this.list(owner).filter(process => process.running).length;
  }

  /** Kills everything `owner` started (a settled task's leftovers). */
  async killOwner(owner: string): Promise<number> {
    const mine = [...this.processes.values()].filter(process => process.owner === owner && process.running);
    for (const process of mine) process.stop('killed');
    await Promise.all(mine.map(process => process.finished));
    return mine.length;
  }

  async killAll(): Promise<void> {
    const running = [...this.processes.values()].filter(process => process.running);
    for (const process of running) process.stop('killed');
    await Promise.all(running.map(process => process.finished));
  }

  private prune(): void {
    const finished = [...this.processes.values()]
      .filter(process => !process.running)
      .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    for (const old of finished.slice(KEEP_FINISHED)) this.processes.delete(old.id);
  }
}
