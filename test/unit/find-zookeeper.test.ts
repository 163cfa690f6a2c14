import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findZooKeeper, ZooKeeperNotFoundError } from '../../src/testing/index.js';

describe('findZooKeeper', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  const fakeJavaDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxzk-java-'));
    dirs.push(dir);
    await writeFile(join(dir, 'java'), '#!/bin/sh\n', { mode: 0o755 });
    return dir;
  };

  it('says exactly how to get ZooKeeper when ZOOKEEPER_HOME holds none', async () => {
    const javaDir = await fakeJavaDir();
    const home = await mkdtemp(join(tmpdir(), 'rxzk-home-'));
    dirs.push(home);
    let error: unknown;
    try {
      findZooKeeper({ PATH: javaDir, ZOOKEEPER_HOME: home });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ZooKeeperNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain(`ZOOKEEPER_HOME=${home}`);
    expect(message).toContain('apt-get install -y zookeeper');
    expect(message).toContain('RXZK_TEST_ZOOKEEPER=');
    expect(message).not.toContain('ZK_CONNECT=');
  });

  it('says how to get Java when there is none', () => {
    expect(() => findZooKeeper({ PATH: '/nonexistent' })).toThrow(/No Java runtime/);
  });

  it('takes every jar of a release unpacked at ZOOKEEPER_HOME', async () => {
    const javaDir = await fakeJavaDir();
    const home = await mkdtemp(join(tmpdir(), 'rxzk-home-'));
    dirs.push(home);
    await mkdir(join(home, 'lib'));
    await writeFile(join(home, 'lib', 'zookeeper-3.8.4.jar'), '');
    await writeFile(join(home, 'lib', 'netty-handler-4.1.jar'), '');
    const found = findZooKeeper({ PATH: javaDir, ZOOKEEPER_HOME: home });
    expect(found.java).toBe(join(javaDir, 'java'));
    expect(found.classPath.split(':')).toEqual([
      join(home, 'conf'),
      join(home, 'lib', 'netty-handler-4.1.jar'),
      join(home, 'lib', 'zookeeper-3.8.4.jar'),
    ]);
    expect(found.source).toBe(`ZOOKEEPER_HOME=${home}`);
  });
});
