import { describe, expect, it } from 'vitest';
import { codeServerLayout, withoutNpmScriptVariables } from '../../../scripts/codeServer.mjs';

// What an outer `npm start` under Node 20 exports to its script (as npm 11 does).
const underNpmStart = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/alice',
  NODE: '/usr/bin/node',
  INIT_CWD: '/home/alice/nix-nur',
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_node_execpath: '/usr/bin/node',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_config_nodedir: '/usr',
  npm_config_local_prefix: '/home/alice/nix-nur',
  npm_lifecycle_event: 'start',
};

describe("code-server's install environment", () => {
  it('drops what npm exports to scripts, so the inner npm does not report the outer Node', () => {
    expect(withoutNpmScriptVariables(underNpmStart)).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/alice' });
  });

  it("runs code-server's npm with its own Node first and its headers for native modules", () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, underNpmStart);
      const layout = codeServerLayout('/cache');
      expect(layout.env.npm_config_user_agent).toBeUndefined();
      expect(layout.env.NODE).toBeUndefined();
      expect(layout.env.npm_config_nodedir).toBe(layout.nodeHome);
      expect(layout.env.PATH!.split(':')[0]).toBe(`${layout.nodeHome}/bin`);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
