import { describe, expect, it } from 'vitest';
import { sourceRootOf, WorkspaceSources } from '../../../server/src/features/build/workspaceSources';

const OURS = '/nix/store/2yv4nsgscs3mr31fscxpywdq3cnmdr5q-source';
const INPUT = '/nix/store/6chvgnp0ly30qz1aclivkjssfv3vpxql-source';

describe('WorkspaceSources', () => {
  it('learns its store copy from the first flake.nix evaluated and maps only that copy', () => {
    const sources = new WorkspaceSources({ sourceRoot: '/w/repo', flakeDir: '/w/repo', exists: () => false });
    sources.observe(`evaluating file '${OURS}/flake.nix'`);
    sources.observe(`evaluating file '${INPUT}/flake.nix'`);
    sources.observe(`evaluating file '${OURS}/pkgs/fixed.nix'`);
    sources.observe(`evaluating file '<nix/derivation-internal.nix>'`);
    expect(sources.toWorkspacePath(`${OURS}/pkgs/evalfail.nix`)).toBe('/w/repo/pkgs/evalfail.nix');
    expect(sources.toWorkspacePath(`${INPUT}/lib/default.nix`)).toBeUndefined();
    expect(sources.evaluatedFiles()).toEqual(['/w/repo/flake.nix', '/w/repo/pkgs/fixed.nix']);
  });

  it('handles a flake in a subdirectory of its git repository', () => {
    const sources = new WorkspaceSources({ sourceRoot: '/w/repo', flakeDir: '/w/repo/nix', exists: () => false });
    sources.observe(`evaluating file '${INPUT}/flake.nix'`); // an input's flake.nix at the root: not ours
    sources.observe(`evaluating file '${OURS}/nix/flake.nix'`);
    expect(sources.toWorkspacePath(`${OURS}/nix/pkgs/a.nix`)).toBe('/w/repo/nix/pkgs/a.nix');
    expect(sources.toWorkspacePath(`${INPUT}/nix/pkgs/a.nix`)).toBeUndefined();
  });

  it('without that message, accepts a store path only when the workspace has the same file', () => {
    const existing = new Set(['/w/repo/pkgs/a.nix']);
    const sources = new WorkspaceSources({ sourceRoot: '/w/repo', flakeDir: '/w/repo', exists: (path) => existing.has(path) });
    expect(sources.toWorkspacePath(`${INPUT}/pkgs/a.nix`)).toBe('/w/repo/pkgs/a.nix');
    expect(sources.toWorkspacePath(`${INPUT}/pkgs/b.nix`)).toBeUndefined();
  });

  it('passes real files through and ignores pseudo-files and other store paths', () => {
    const sources = new WorkspaceSources({ sourceRoot: '/w/repo' });
    expect(sources.toWorkspacePath('/w/repo/default.nix')).toBe('/w/repo/default.nix');
    expect(sources.toWorkspacePath('/nix/store/6chvgnp0ly30qz1aclivkjssfv3vpxql-nixpkgs/x.nix')).toBeUndefined();
    expect(sources.toWorkspacePath('«string»')).toBeUndefined();
  });
});

describe('sourceRootOf', () => {
  it('climbs to the git work tree, or stays where it is', () => {
    expect(sourceRootOf('/w/repo/nix/sub', (path) => path === '/w/repo/.git')).toBe('/w/repo');
    expect(sourceRootOf('/w/plain', () => false)).toBe('/w/plain');
  });
});
