/**
 * vitest globalSetup: one throwaway PostgreSQL server for the whole run (test/pg/throwaway-server.ts),
 * stopped and deleted when the run ends. Tests get its superuser URL with `inject('pgAdminUrl')` and
 * make their own database in it (test/pg/pg-database.ts). If the server cannot start, the run still
 * goes on and every PostgreSQL test fails with the reason (`inject('pgStartError')`).
 */
import type { TestProject } from 'vitest/node';
import { type ThrowawayServer, startThrowawayServer } from '../pg/throwaway-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgStartError: string;
  }
}

export default function setup(project: TestProject): () => void {
  let server: ThrowawayServer | undefined;
  try {
    server = startThrowawayServer();
    project.provide('pgAdminUrl', server.adminUrl);
    project.provide('pgStartError', '');
  } catch (err) {
    project.provide('pgAdminUrl', '');
    project.provide('pgStartError', (err as Error).message);
  }
  return () => server?.stop();
}
