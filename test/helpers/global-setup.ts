import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startZooKeeper } from '../../src/testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connect string of the standalone server shared by the integration run. */
    zkConnectString: string;
  }
}

/** Starts the one shared standalone server of the integration run, and stops it afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startZooKeeper({ servers: 1 });
  project.provide('zkConnectString', server.connectString);
  return () => server.stop();
}
