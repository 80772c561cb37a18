// Queries over NUR's registry: the repository names (completion after `nur.repos.`) and one
// repository's details (hover).
import type { IndexFile } from './indexFile';
import type { NurRepoRecord } from './nurRecord';
import { DEFAULT_CHILDREN_LIMIT, type ChildrenOptions, type ChildrenResult } from './packageIndex';

export class NurRepoIndex {
  constructor(readonly file: IndexFile) {}

  get count(): number {
    return this.file.count;
  }

  /** Repository names, sorted, optionally by prefix. */
  names(options: ChildrenOptions = {}): ChildrenResult<string> {
    const { children, incomplete } = this.file.table.children(undefined, options.prefix ?? '', options.limit ?? DEFAULT_CHILDREN_LIMIT);
    return { items: children.map((c) => c.name), incomplete };
  }

  lookup(name: string): NurRepoRecord | undefined {
    const i = this.file.table.indexOf([name]);
    return i < 0 ? undefined : this.file.record<NurRepoRecord>(i);
  }
}
