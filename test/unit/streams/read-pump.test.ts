import { describe, expect, it } from 'vitest';
import { ReadPump, type Aspect, type ReadReply } from '../../../src/streams/read-pump.js';

/** A pump whose reads the test answers. */
function pumpOf(concurrency: number) {
  const started: { aspect: Aspect; path: string; reply: ReadReply }[] = [];
  let finished = 0;
  const pump = new ReadPump(concurrency, (aspect, path, reply) => started.push({ aspect, path, reply }), () => finished++);
  const names = () => started.map((s) => `${s.aspect}:${s.path}`);
  const answer = (key: string, lost = false) => {
    const at = started.findIndex((s) => `${s.aspect}:${s.path}` === key);
    if (at < 0) throw new Error(`${key} is not in flight (${names().join(', ')})`);
    const [read] = started.splice(at, 1);
    read!.reply.done(lost);
    return read!.reply;
  };
  return { pump, started, names, answer, finished: () => finished };
}

describe('ReadPump', () => {
  it('keeps at most `concurrency` reads in flight, starting the rest in request order', () => {
    const { pump, names, answer } = pumpOf(2);
    for (const path of ['/a', '/b', '/c', '/d']) pump.request('data', path);
    expect(names()).toEqual(['data:/a', 'data:/b']);
    expect(pump.pending).toBe(4);
    answer('data:/b');
    expect(names()).toEqual(['data:/a', 'data:/c']);
    answer('data:/a');
    answer('data:/c');
    answer('data:/d');
    expect(pump.pending).toBe(0);
  });

  it('makes a read requested while the same one is in flight once, after it', () => {
    const { pump, names, answer, finished } = pumpOf(8);
    pump.request('children', '/a');
    pump.request('children', '/a');
    pump.request('children', '/a');
    pump.request('data', '/a');
    expect(names()).toEqual(['children:/a', 'data:/a']);
    answer('children:/a');
    expect(names()).toEqual(['data:/a', 'children:/a']);
    answer('children:/a');
    answer('data:/a');
    expect(names()).toEqual([]);
    expect(finished()).toBe(3);
  });

  it('keeps reads lost with the connection pending, and repeats them when the session is back', () => {
    const { pump, names, answer } = pumpOf(8);
    pump.request('data', '/a');
    pump.request('children', '/a');
    answer('data:/a', true);
    answer('children:/a');
    expect(pump.pending).toBe(1);
    pump.repeatLost();
    expect(names()).toEqual(['data:/a']);
    answer('data:/a');
    expect(pump.pending).toBe(0);
  });

  it('forgets everything on reset: replies to earlier reads are stale and count for nothing', () => {
    const { pump, started, names, finished } = pumpOf(1);
    pump.request('data', '/a');
    pump.request('data', '/b');
    const old = started.shift()!;
    pump.reset();
    expect(old.reply.stale).toBe(true);
    expect(pump.pending).toBe(0);
    pump.request('data', '/a');
    // The slot of the forgotten read is free again; its reply changes nothing.
    expect(names()).toEqual(['data:/a']);
    expect(started[0]!.reply.stale).toBe(false);
    old.reply.done(false);
    expect(pump.pending).toBe(1);
    expect(finished()).toBe(0);
  });
});
