// Hover and completion documentation for a package: what it is, its version, license, who
// maintains it, where it builds, whether it is broken, insecure or unfree, and its source.
import { MarkupKind, type MarkupContent } from 'vscode-languageserver-types';
import type { LicenseInfo, MaintainerInfo, PackageInfo, PlatformSummary } from '../../knowledge/packageRecord';
import { formatAttrPath } from '../../knowledge/attrPath';
import { autolink, escapeMarkdown, inlineCode, link } from './markdownText';
import { packageSourceUrl } from './sourceLinks';

export interface PackageDocOptions {
  /** The nixpkgs revision or branch for source links. */
  revision?: string;
  /** Leave out the long description (completion items keep it short). */
  brief?: boolean;
  /**
   * Show the version beside the name (hovers). A completion item shows it as its detail already,
   * and VS Code prints the detail right above the documentation.
   */
  versionInTitle?: boolean;
}

export function packageMarkdown(info: PackageInfo, options: PackageDocOptions = {}): string {
  const lines: string[] = [];
  const title = `**${escapeMarkdown(formatAttrPath(info.path))}**`;
  lines.push(info.version && options.versionInTitle !== false ? `${title} ${inlineCode(info.version)}` : title);
  if (info.description) lines.push('', escapeMarkdown(info.description));
  if (!options.brief && info.longDescription) lines.push('', escapeMarkdown(info.longDescription));

  const flags = statusFlags(info);
  if (flags.length) lines.push('', flags.join(' · '));

  const facts: string[] = [];
  if (info.name && info.name !== `${info.pname}-${info.version}`) facts.push(`**Name:** ${inlineCode(info.name)}`);
  if (info.homepage) facts.push(`**Homepage:** ${autolink(info.homepage)}`);
  // nixpkgs' meta may list one licence several times (nginx: four times BSD-2-Clause).
  if (info.license?.length) facts.push(`**License:** ${[...new Set(info.license.map(describeLicense))].join(', ')}`);
  if (info.maintainers?.length) facts.push(`**Maintainers:** ${describeMaintainers(info.maintainers)}`);
  if (info.platforms) facts.push(`**Platforms:** ${describePlatforms(info.platforms)}`);
  if (info.mainProgram) facts.push(`**Main program:** ${inlineCode(info.mainProgram)}`);
  if (info.outputs?.length) facts.push(`**Outputs:** ${info.outputs.map(inlineCode).join(', ')}`);
  const source = packageSourceUrl(info.position, options.revision);
  if (source) facts.push(`[Source](${source})`);
  if (facts.length) lines.push('', ...facts.map((f) => `- ${f}`));
  return lines.join('\n');
}

export function packageDocumentation(info: PackageInfo, options: PackageDocOptions = {}): MarkupContent {
  return { kind: MarkupKind.Markdown, value: packageMarkdown(info, options) };
}

function statusFlags(info: PackageInfo): string[] {
  const flags: string[] = [];
  if (info.broken) flags.push('⚠️ **Broken**: marked as failing to build');
  if (info.insecure || info.knownVulnerabilities?.length) {
    const known = info.knownVulnerabilities?.length ? `: ${info.knownVulnerabilities.slice(0, 3).map(escapeMarkdown).join('; ')}` : '';
    flags.push(`⚠️ **Insecure**${known}`);
  }
  if (info.unfree) flags.push('**Unfree** license (needs `allowUnfree`)');
  return flags;
}

export function describeLicense(license: LicenseInfo): string {
  const name = license.spdxId ?? license.shortName ?? license.fullName ?? 'unknown';
  const text = license.fullName && license.fullName !== name ? `${name} (${license.fullName})` : name;
  const linked = link(text, license.url);
  return license.free === false ? `${linked}, unfree` : linked;
}

function describeMaintainers(maintainers: MaintainerInfo[]): string {
  const shown = maintainers.slice(0, 5).map((m) => {
    const name = m.name ?? m.github ?? m.email ?? 'unknown';
    return m.github ? link(name, `https://github.com/${encodeURIComponent(m.github)}`) : escapeMarkdown(name);
  });
  if (maintainers.length > 5) shown.push(`and ${maintainers.length - 5} more`);
  return shown.join(', ');
}

/** `linux, darwin, freebsd and 4 more; 38 systems including x86_64-linux and aarch64-darwin`. */
export function describePlatforms(platforms: PlatformSummary): string {
  if (platforms.count === 0) return 'none listed';
  const kernels = platforms.kernels.slice(0, 4).join(', ');
  const more = platforms.kernels.length > 4 ? ` and ${platforms.kernels.length - 4} more` : '';
  const systems = `${platforms.count} ${platforms.count === 1 ? 'system' : 'systems'}`;
  const main = platforms.main.length ? `, including ${platforms.main.map(inlineCode).join(', ')}` : '';
  return kernels ? `${escapeMarkdown(kernels)}${more} (${systems}${main})` : `${systems}${main}`;
}
