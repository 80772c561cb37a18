// Hover and completion documentation for NUR: a repository (where it lives, whom to contact, how
// many packages it offers) and a NUR package (a package page plus where it comes from).
import { MarkupKind, type MarkupContent } from 'vscode-languageserver-types';
import type { NurRepoInfo } from '../../knowledge/nurRecord';
import type { PackageInfo } from '../../knowledge/packageRecord';
import { autolink, escapeMarkdown, inlineCode, link } from './markdownText';
import { packageMarkdown, type PackageDocOptions } from './packageDoc';

export function nurRepoMarkdown(repo: NurRepoInfo): string {
  const lines = [`**nur.repos.${escapeMarkdown(repo.name)}**`, '', 'A NUR repository.'];
  const facts: string[] = [];
  if (repo.url) facts.push(`**Repository:** ${autolink(repo.url)}`);
  if (repo.githubContact) facts.push(`**Contact:** ${link(`@${repo.githubContact}`, `https://github.com/${encodeURIComponent(repo.githubContact)}`)}`);
  if (repo.packageCount !== undefined) facts.push(`**Packages:** ${repo.packageCount}`);
  if (repo.file) facts.push(`**Entry file:** ${inlineCode(repo.file)}`);
  if (repo.branch) facts.push(`**Branch:** ${inlineCode(repo.branch)}`);
  if (facts.length) lines.push('', ...facts.map((f) => `- ${f}`));
  return lines.join('\n');
}

export function nurRepoDocumentation(repo: NurRepoInfo): MarkupContent {
  return { kind: MarkupKind.Markdown, value: nurRepoMarkdown(repo) };
}

export function nurPackageMarkdown(info: PackageInfo, options: Pick<PackageDocOptions, 'brief' | 'versionInTitle'> = {}): string {
  const repo = info.nurRepo ?? (info.path[0] === 'nur' && info.path[1] === 'repos' ? info.path[2] : undefined);
  const origin = repo ? `\n\n*From the NUR repository ${inlineCode(repo)}; NUR packages are not reviewed by nixpkgs maintainers.*` : '';
  return packageMarkdown(info, options) + origin;
}

export function nurPackageDocumentation(info: PackageInfo, options: { brief?: boolean } = {}): MarkupContent {
  return { kind: MarkupKind.Markdown, value: nurPackageMarkdown(info, options) };
}
