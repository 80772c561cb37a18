// What can be built in a directory, for the "Nix: Build…" picker: a flake's packages for the
// current system, or the derivations among a default.nix's top-level attributes. Each entry
// carries the parameters `nixNur.build` takes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  attrPathText,
  flakePackageNamesInvocation,
  flakePackagesInvocation,
  legacyAttributeNamesInvocation,
  legacyAttributesInvocation,
} from '../../nix/buildArgv';

import { ProgramNotFoundError, runProcess } from '../../nix/process';
import type { NixCapabilities } from '../../nix/version';
import { directoryOfUri, type BuildParams } from './buildTarget';
import { NIX_MISSING_MESSAGE, nixMissingMessage, nixProgram, type NixTools } from './nixTools';
import { stripAnsi } from '../../nix/ansi';

export interface Buildable {
  /** The attribute (`hello`), as the picker shows it. */
  attribute: string;
  /** The derivation name (`hello-2.12`), when it could be evaluated. */
  name?: string;
  description?: string;
  /** False when Nix could not tell whether it is a derivation (it may not be one). */
  verified: boolean;
  /** Ready for `nixNur.build`. */
  params: BuildParams;
}

export type BuildablesResult =
  | {
      ok: true;
      kind: 'flake' | 'legacy';
      /** The system whose packages are listed (flakes). */
      system?: string;
      buildables: Buildable[];
      /**
       * False when some entries could not be inspected and are listed by name only (for example in
       * a NUR default.nix whose `<nixpkgs>` is not available): they may not be derivations.
       */
      checked: boolean;
    }
  | { ok: false; message: string };

export interface BuildablesDependencies {
  capabilities: NixCapabilities | undefined;
  tools?: NixTools;
  signal?: AbortSignal;
  /** Evaluation time limit (default two minutes). */
  timeoutMs?: number;
}

/** Top-level names a NUR repository uses for things that are not packages. */
const NON_PACKAGE_NAMES = new Set(['lib', 'modules', 'overlays', 'overlay', 'hmModules', 'nixosModules', 'darwinModules']);

export async function listBuildables(params: { cwd: string }, deps: BuildablesDependencies): Promise<BuildablesResult> {
  const cwd = directoryOfUri(params?.cwd);
  if (!cwd.ok) return cwd;
  if (!deps.capabilities) return { ok: false, message: NIX_MISSING_MESSAGE };
  const run = async (program: string, args: string[]) => {
    try {
      return await runProcess(nixProgram(deps.tools, program), args, {
        cwd: cwd.path,
        env: deps.tools?.env,
        signal: deps.signal,
        timeoutMs: deps.timeoutMs ?? 120_000,
      });
    } catch (error) {
      if (error instanceof ProgramNotFoundError) return { missing: nixMissingMessage(program) } as const;
      throw error;
    }
  };

  if (existsSync(join(cwd.path, 'flake.nix'))) {
    const cwdUri = params.cwd;
    const detailed = flakePackagesInvocation('.');
    const first = await run(detailed.program, detailed.args);
    if ('missing' in first) return { ok: false, message: first.missing };
    if (first.cancelled) return { ok: false, message: 'Listing the flake packages was cancelled.' };
    const parsed = first.code === 0 ? parseJson<{ system: string; packages: Record<string, { name?: string; description?: string }> }>(first.stdout) : undefined;
    if (parsed && typeof parsed.packages === 'object') {
      const buildables = Object.entries(parsed.packages).map(([attribute, info]) => ({
        attribute,
        name: info?.name,
        description: info?.description || undefined,
        verified: true,
        params: { cwd: cwdUri, installable: `.#${attrPathText([attribute])}` },
      }));
      return { ok: true, kind: 'flake', system: parsed.system, buildables, checked: true };
    }
    const namesOnly = flakePackageNamesInvocation('.');
    const second = await run(namesOnly.program, namesOnly.args);
    if ('missing' in second) return { ok: false, message: second.missing };
    const names = second.code === 0 ? parseJson<{ system: string; names: string[] }>(second.stdout) : undefined;
    if (!names || !Array.isArray(names.names)) return { ok: false, message: `Could not list the flake's packages: ${errorSummary(second.stderr || first.stderr)}` };
    return {
      ok: true,
      kind: 'flake',
      system: names.system,
      // Everything under `packages` is meant to be a package, so the names stand for themselves.
      buildables: names.names.map((attribute) => ({ attribute, verified: true, params: { cwd: cwdUri, installable: `.#${attrPathText([attribute])}` } })),
      checked: false,
    };
  }

  const file = join(cwd.path, 'default.nix');
  if (!existsSync(file)) return { ok: false, message: `There is no flake.nix or default.nix in ${cwd.path}.` };
  const toParams = (attribute: string): BuildParams => ({ cwd: params.cwd, file: 'default.nix', attr: attrPathText([attribute]) });
  const detailed = legacyAttributesInvocation(file);
  const first = await run(detailed.program, detailed.args);
  if ('missing' in first) return { ok: false, message: first.missing };
  if (first.cancelled) return { ok: false, message: 'Listing the attributes of default.nix was cancelled.' };
  const entries = first.code === 0 ? parseJson<{ attr: string; kind: string; name?: string; description?: string }[]>(first.stdout) : undefined;
  if (Array.isArray(entries)) {
    const buildables: Buildable[] = entries
      .filter((entry) => entry.kind === 'derivation' || !NON_PACKAGE_NAMES.has(entry.attr))
      .map((entry) =>
        entry.kind === 'derivation'
          ? { attribute: entry.attr, name: entry.name, description: entry.description || undefined, verified: true, params: toParams(entry.attr) }
          : { attribute: entry.attr, verified: false, params: toParams(entry.attr) },
      );
    return { ok: true, kind: 'legacy', buildables, checked: buildables.every((buildable) => buildable.verified) };
  }
  const namesOnly = legacyAttributeNamesInvocation(file);
  const second = await run(namesOnly.program, namesOnly.args);
  if ('missing' in second) return { ok: false, message: second.missing };
  const names = second.code === 0 ? parseJson<string[]>(second.stdout) : undefined;
  if (!Array.isArray(names)) return { ok: false, message: `Could not list the attributes of default.nix: ${errorSummary(second.stderr || first.stderr)}` };
  return {
    ok: true,
    kind: 'legacy',
    buildables: names.filter((name) => !NON_PACKAGE_NAMES.has(name)).map((attribute) => ({ attribute, verified: false, params: toParams(attribute) })),
    checked: false,
  };
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The `error:` part of Nix's stderr, without colours, limited to a readable length. */
export function errorSummary(stderr: string): string {
  const text = stripAnsi(stderr);
  const start = text.lastIndexOf('error:');
  const relevant = (start === -1 ? text : text.slice(start + 'error:'.length)).trim();
  const lines = relevant.split('\n').map((line) => line.trimEnd());
  return lines.slice(0, 12).join('\n').trim() || 'Nix failed without a message.';
}
