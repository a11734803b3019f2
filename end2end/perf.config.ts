// Benchmarks in the browser (not tests: they print figures and are run by `make bench-history`).
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './perf',
  projects: (base.projects ?? []).map((project) =>
    project.name === 'setup' ? { ...project, testDir: './tests' } : project,
  ),
});
