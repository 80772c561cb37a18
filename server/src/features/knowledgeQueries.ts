// What completion and hover ask of the knowledge layer. KnowledgeService answers it; tests can
// answer it from a small hand-made index.
import type { LibChild, LibInfo } from '../knowledge/libIndex';
import type { SourceKind } from '../knowledge/cacheStore';
import type { NurRepoInfo } from '../knowledge/nurRecord';
import type { OptionChild, OptionChildrenOptions, OptionPathClass } from '../knowledge/optionIndex';
import type { OptionInfo } from '../knowledge/optionRecord';
import type { ChildrenOptions, ChildrenResult, PackageChild } from '../knowledge/packageIndex';
import type { PackageInfo } from '../knowledge/packageRecord';

/** The option tree asked about; only evaluated configurations know flake-parts' options. */
export type OptionScope = 'nixos' | 'home-manager' | 'flake-parts';

export interface KnowledgeQueries {
  packageChildren(path: readonly string[], options?: ChildrenOptions): ChildrenResult<PackageChild> & { loading: boolean };
  lookupPackage(path: readonly string[]): PackageInfo | undefined;
  /** `lookupPackage` of each path, at once (the packages of one completion list). */
  lookupPackages(paths: readonly (readonly string[])[]): (PackageInfo | undefined)[];
  optionChildren(scope: OptionScope, path: readonly string[], options?: OptionChildrenOptions): ChildrenResult<OptionChild> & { loading: boolean };
  lookupOption(scope: OptionScope, path: readonly string[]): OptionInfo | undefined;
  lookupNurRepo(name: string): NurRepoInfo | undefined;
  /** Members of nixpkgs' `lib` (evaluated from the pinned nixpkgs), two levels deep. */
  libChildren(path: readonly string[], options?: ChildrenOptions): ChildrenResult<LibChild> & { loading: boolean };
  lookupLib(path: readonly string[]): LibInfo | undefined;
  /** The nixpkgs revision or branch the indexes describe (for source links). */
  nixpkgsRevision(): string;
  /** The pinned nixpkgs' source tree when it is on disk (for going to option declarations). */
  nixpkgsSource(): string | undefined;
  /** What an option path is (option, prefix, inside an option's value, unknown); undefined while the options are not loaded. */
  classifyOption(scope: OptionScope, path: readonly string[]): OptionPathClass | undefined;
  /** Whether a source has nothing to answer from yet but is working on it. */
  isLoading(kind: SourceKind | OptionScope): boolean;
}
