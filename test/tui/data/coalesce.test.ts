import { describe, expect, it } from 'vitest';
import { createCoalescer, createFrameScheduler } from '../../../tui/data/coalesce.js';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('createCoalescer', () => {
  it('answers a burst of requests with one run now and one trailing run', async () => {
    let runs = 0;
    const coalescer = createCoalescer(
      async () => {
        runs += 1;
        await sleep(20);
      },
      { minIntervalMs: 0 },
    );
    for (let index = 0; index < 50; index += 1) coalescer.request();
    await sleep(5);
    for (let index = 0; index < 50; index += 1) coalescer.request();
    await coalescer.idle();
    expect(runs).toBe(2);
  });

  it('never runs twice at once and always runs after the last request', async () => {
    let active = 0;
    let maxActive = 0;
    let lastRunStartedAt = 0;
    const coalescer = createCoalescer(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        lastRunStartedAt = Date.now();
        await sleep(5);
        active -= 1;
      },
      { minIntervalMs: 10 },
    );
    let lastRequestAt = 0;
    for (let index = 0; index < 20; index += 1) {
      coalescer.request();
      lastRequestAt = Date.now();
      await sleep(3);
    }
    await coalescer.idle();
    expect(maxActive).toBe(1);
    expect(lastRunStartedAt).toBeGreaterThanOrEqual(lastRequestAt);
  });

  it('keeps runs at least minIntervalMs apart and survives a failing run', async () => {
    const starts: number[] = [];
    const errors: unknown[] = [];
    const coalescer = createCoalescer(
      async () => {
        starts.push(Date.now());
        if (starts.length === 1) throw new Error('boom');
      },
      { minIntervalMs: 40, onError: error => errors.push(error) },
    );
    coalescer.request();
    await sleep(1);
    coalescer.request();
    await coalescer.idle();
    expect(starts).toHaveLength(2);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(38);
    expect(errors).toHaveLength(1);
  });
});

describe('createFrameScheduler', () => {
  it('emits at most once per interval and once more after the last request', async () => {
    let emits = 0;
    const frames = createFrameScheduler(() => (emits += 1), 16);
    const until = Date.now() + 100;
    while (Date.now() < until) {
      frames.request();
      await sleep(1);
    }
    await sleep(40);
    // 100 ms of continuous requests: about 6 frames, never one per request.
    expect(emits).toBeGreaterThanOrEqual(3);
    expect(emits).toBeLessThanOrEqual(9);
    frames.cancel();
  });
});
