import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildLogStore } from '../../../server/src/features/build/buildLogStore';
import { listNixFiles } from '../../../server/src/features/build/workspaceFiles';

describe('BuildLogStore', () => {
  it('keeps the whole log while it is small', () => {
    const log = new BuildLogStore().create('Build .#x');
    for (let i = 1; i <= 5; i++) log.append(`line ${i}`);
    expect(log.lines()).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(log.tail(2)).toEqual(['line 4', 'line 5']);
    expect(log.tail(10)).toHaveLength(5);
    expect(log.text()).toBe('line 1\nline 2\nline 3\nline 4\nline 5');
  });

  it('keeps the start and the end of a huge log', () => {
    const log = new BuildLogStore({ maxLines: 10 }).create('big');
    for (let i = 1; i <= 100; i++) log.append(`line ${i}`);
    const lines = log.lines();
    expect(lines.slice(0, 5)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(lines[5]).toBe('… 90 lines not kept …');
    expect(lines.slice(6)).toEqual(['line 96', 'line 97', 'line 98', 'line 99', 'line 100']);
    expect(log.tail(3)).toEqual(['line 98', 'line 99', 'line 100']);
  });

  it('forgets the oldest logs', () => {
    const store = new BuildLogStore({ maxLogs: 2 });
    const first = store.create('a');
    const second = store.create('b');
    const third = store.create('c');
    expect(store.get(first.id)).toBeUndefined();
    expect(store.get(second.id)).toBe(second);
    expect(store.get(third.id)).toBe(third);
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
  });
});

describe('listNixFiles', () => {
  it('lists .nix files breadth first, skipping hidden directories, node_modules and symlinks', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nix-nur-files-'));
    try {
      mkdirSync(join(root, 'pkgs', 'deep'), { recursive: true });
      mkdirSync(join(root, '.git'));
      mkdirSync(join(root, 'node_modules'));
      writeFileSync(join(root, 'default.nix'), '{ }');
      writeFileSync(join(root, 'README.md'), '');
      writeFileSync(join(root, 'pkgs', 'a.nix'), '{ }');
      writeFileSync(join(root, 'pkgs', 'deep', 'b.nix'), '{ }');
      writeFileSync(join(root, '.git', 'c.nix'), '{ }');
      writeFileSync(join(root, 'node_modules', 'd.nix'), '{ }');
      symlinkSync(join(root, 'pkgs'), join(root, 'result'));
      expect(await listNixFiles(root)).toEqual([join(root, 'default.nix'), join(root, 'pkgs', 'a.nix'), join(root, 'pkgs', 'deep', 'b.nix')]);
      expect(await listNixFiles(root, { maxFiles: 2 })).toHaveLength(2);
      expect(await listNixFiles(join(root, 'missing'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
