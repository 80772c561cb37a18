// pkgs/<name>/default.nix for a new package, one template per nixpkgs builder. Sources come from
// GitHub with `lib.fakeHash` as the hash: the first build fails and prints the real hash, which the
// build feature's quick fix then puts in place.
import type { GitHubSource } from '../names';
import { nixFile, nixString } from '../nixText';

export const PACKAGE_BUILDERS = [
  'stdenv.mkDerivation',
  'buildGoModule',
  'rustPlatform.buildRustPackage',
  'python3Packages.buildPythonApplication',
  'buildNpmPackage',
] as const;

export type PackageBuilder = (typeof PACKAGE_BUILDERS)[number];

export function isPackageBuilder(value: string): value is PackageBuilder {
  return (PACKAGE_BUILDERS as readonly string[]).includes(value);
}

export interface PackageTemplateInput {
  name: string;
  builder: PackageBuilder;
  /** Where the source comes from; placeholders to fill in when absent. */
  source?: GitHubSource;
  today: Date;
}

export interface PackageTemplate {
  content: string;
  /** Things the author should know about the generated file. */
  notes: string[];
}

/** How the builders differ: what the function takes, how it is called, which extra hash it needs. */
interface BuilderShape {
  formals: string[];
  /** The call, up to and including the opening of the argument set. */
  opening: string;
  closing: string;
  /** How the attribute set refers to its own version. */
  versionRef: string;
  /** Lines between `src` and `meta`. */
  extra: string[];
}

function shapeOf(builder: PackageBuilder): BuilderShape {
  const fakeHashLine = (attribute: string, what: string) => [
    `  # The hash of ${what}; building with the fake one fails and prints the real one.`,
    `  ${attribute} = lib.fakeHash;`,
  ];
  switch (builder) {
    case 'stdenv.mkDerivation':
      return { formals: ['lib', 'stdenv', 'fetchFromGitHub'], opening: 'stdenv.mkDerivation (finalAttrs: {', closing: '})', versionRef: 'finalAttrs.version', extra: [] };
    case 'buildGoModule':
      return {
        formals: ['lib', 'buildGoModule', 'fetchFromGitHub'],
        opening: 'buildGoModule rec {',
        closing: '}',
        versionRef: 'version',
        extra: [...fakeHashLine('vendorHash', 'the Go module dependencies'), '', '  ldflags = [ "-s" "-w" ];'],
      };
    case 'rustPlatform.buildRustPackage':
      return {
        formals: ['lib', 'rustPlatform', 'fetchFromGitHub'],
        opening: 'rustPlatform.buildRustPackage rec {',
        closing: '}',
        versionRef: 'version',
        extra: fakeHashLine('cargoHash', 'the vendored Cargo dependencies'),
      };
    case 'python3Packages.buildPythonApplication':
      return {
        formals: ['lib', 'python3Packages', 'fetchFromGitHub'],
        opening: 'python3Packages.buildPythonApplication rec {',
        closing: '}',
        versionRef: 'version',
        extra: [
          '  pyproject = true;',
          '',
          '  # The build backend named in pyproject.toml.',
          '  build-system = [ python3Packages.setuptools ];',
          '',
          '  dependencies = [ ];',
        ],
      };
    case 'buildNpmPackage':
      return {
        formals: ['lib', 'buildNpmPackage', 'fetchFromGitHub'],
        opening: 'buildNpmPackage rec {',
        closing: '}',
        versionRef: 'version',
        extra: fakeHashLine('npmDepsHash', 'the npm dependencies (package-lock.json)'),
      };
  }
}

/** A tag that is a version number, `v1.2.3` or `1.2.3`, split into prefix and version. */
function versionTag(rev: string): { prefix: string; version: string } | undefined {
  const match = /^(v?)(\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.]+)?)$/.exec(rev);
  return match ? { prefix: match[1], version: match[2] } : undefined;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function packageTemplate(input: PackageTemplateInput): PackageTemplate {
  const shape = shapeOf(input.builder);
  const notes: string[] = [];
  const owner = input.source?.owner ?? 'OWNER';
  const repo = input.source?.repo ?? input.name;
  const rev = input.source?.rev;

  let version: string;
  let refLine: string;
  const tag = rev === undefined ? { prefix: 'v', version: '0.1.0' } : versionTag(rev);
  if (tag) {
    version = tag.version;
    // A tag that is the version itself is the version's value, not a string of one interpolation.
    refLine = tag.prefix ? `    tag = "${tag.prefix}\${${shape.versionRef}}";` : `    tag = ${shape.versionRef};`;
  } else {
    // A commit or a branch: nixpkgs spells such versions 0-unstable-<date of the commit>.
    version = `0-unstable-${isoDay(input.today)}`;
    refLine = `    rev = ${nixString(rev!)};`;
    if (!/^[0-9a-f]{40}$/.test(rev!)) {
      notes.push(`'${rev}' is not a version tag or a full commit hash; if it is a branch it will move and the hash will stop matching. Pin a tag or a commit.`);
    } else {
      notes.push(`Set the date in version = "${version}" to the date of the commit.`);
    }
  }
  if (!input.source) notes.push('Fill in owner, repo and the version of the source in src.');
  notes.push('Build the package once: the hash mismatch error gives the real hash for lib.fakeHash.');

  const homepage = `https://github.com/${owner}/${repo}`;
  const lines = [
    `{ ${shape.formals.join(', ')} }:`,
    '',
    shape.opening,
    `  pname = ${nixString(input.name)};`,
    `  version = ${nixString(version)};`,
    '',
    ...(input.source ? [] : ['  # Where the source comes from: fill in the owner, the repository and the version above.']),
    '  src = fetchFromGitHub {',
    `    owner = ${nixString(owner)};`,
    `    repo = ${nixString(repo)};`,
    refLine,
    '    # Building with the fake hash fails and prints the real one.',
    '    hash = lib.fakeHash;',
    '  };',
    '',
    ...(shape.extra.length ? [...shape.extra, ''] : []),
    '  meta = {',
    `    description = ${nixString(`TODO: say in one line what ${input.name} does`)};`,
    `    homepage = ${nixString(homepage)};`,
    "    # Check the project's licence and use the matching entry of lib.licenses.",
    '    license = lib.licenses.mit;',
    '    maintainers = [ ];',
    `    mainProgram = ${nixString(input.name)};`,
    '  };',
    shape.closing,
  ];
  return { content: nixFile(lines), notes };
}
