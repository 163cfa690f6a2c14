import { setTimeout as sleep } from 'node:timers/promises';
import { fourLetter, parseSrvr } from '../admin/four-letter.js';

/** A member being started, as {@link waitServing} needs to see it. */
export interface StartingMember {
  /** Its 0-based index, for messages. */
  readonly index: number;
  /** `host:port` of its client port. */
  readonly address: string;
  /** False once its process (or container) has exited. */
  readonly running: boolean;
  /** The end of its log, for messages. */
  logTail(): Promise<string>;
}

/**
 * Resolves once the member answers `srvr` with a serving mode (standalone, leader, follower...);
 * rejects with the end of its log if it exits first or `deadline` (epoch ms) passes. A listening
 * port is not enough: an ensemble member listens before it has joined a quorum.
 */
export async function waitServing(member: StartingMember, deadline: number): Promise<void> {
  for (;;) {
    if (!member.running) {
      throw new Error(`ZooKeeper member ${member.index} exited while starting:\n${await member.logTail()}`);
    }
    try {
      const status = parseSrvr(await fourLetter(member.address, 'srvr', { timeoutMs: 1000 }));
      if (status.mode !== 'not-serving' && status.mode !== 'unknown') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`ZooKeeper member ${member.index} did not serve in time:\n${await member.logTail()}`);
    }
    await sleep(50);
  }
}
