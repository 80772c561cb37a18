// Nix's built-in functions and constants as data: names, argument names, documentation, and which
// of them are reachable without the `builtins.` prefix. The table shipped with the server is
// generated from a real Nix by `scripts/generate-builtins.mjs` and holds no documentation text; at
// run time the server merges in the installed Nix's own, documentation included
// (`server/src/nix/builtinsDump.ts`).
import committed from './builtinsTable.json';

export interface BuiltinInfo {
  /** The attribute name in `builtins`, e.g. `map`, `currentSystem`. */
  name: string;
  /** Argument names of a function, in order; empty for a constant. */
  args: string[];
  /** Markdown documentation; empty when Nix documents nothing. */
  doc: string;
  kind: 'function' | 'constant';
  /** The name it is reachable by without `builtins.`: `map`, `__add`; undefined when there is none. */
  global?: string;
  /** The value's type for constants, as Nix documents it (`set`, `Boolean`, `string`). */
  type?: string;
  /** Only available in impure evaluation (`currentSystem`, `currentTime`). */
  impureOnly?: boolean;
}

export interface BuiltinsTable {
  /** Which Nix the table describes, e.g. `nix (Nix) 2.26.3`. */
  source: string;
  builtins: Record<string, BuiltinInfo>;
  /** Global names that are not attributes of `builtins` (`__curPos`). */
  extraGlobals?: string[];
  /** True for a table read from the installed Nix, whose documentation it carries. */
  fromInstalledNix?: boolean;
  /**
   * When the table merges an installed Nix's over the committed one: the names that Nix has. The
   * rest are known (documented) but missing from the Nix that will evaluate the code.
   */
  installedNames?: string[];
}

/**
 * The table generated from a real Nix and committed with the server: names, arguments, kinds and
 * which names are global — facts, without Nix's documentation text, which comes from the
 * installed Nix at run time.
 */
export const defaultBuiltins: BuiltinsTable = {
  ...committed,
  builtins: Object.fromEntries(Object.entries(committed.builtins).map(([name, info]) => [name, { ...(info as Omit<BuiltinInfo, 'doc'>), doc: '' }])),
};

export interface BuiltinLookup {
  readonly table: BuiltinsTable;
  /** Every name usable as a variable without a binding: `map`, `true`, `__add`, `builtins`. */
  readonly globals: ReadonlyMap<string, BuiltinInfo | undefined>;
  /** The builtin `name` refers to when used as a free variable. */
  global(name: string): BuiltinInfo | undefined;
  isGlobal(name: string): boolean;
  /** `builtins.<name>`. */
  attribute(name: string): BuiltinInfo | undefined;
}

const lookups = new WeakMap<BuiltinsTable, BuiltinLookup>();

/** Indexes a table for lookups; the result is cached per table object. */
export function builtinLookup(table: BuiltinsTable = defaultBuiltins): BuiltinLookup {
  let lookup = lookups.get(table);
  if (lookup) return lookup;
  const globals = new Map<string, BuiltinInfo | undefined>();
  for (const info of Object.values(table.builtins)) if (info.global) globals.set(info.global, info);
  for (const name of table.extraGlobals ?? []) if (!globals.has(name)) globals.set(name, undefined);
  // `builtins` is a global in every Nix, whether or not the table lists it as an attribute.
  if (!globals.has('builtins')) globals.set('builtins', table.builtins.builtins);
  lookup = {
    table,
    globals,
    global: (name) => globals.get(name),
    isGlobal: (name) => globals.has(name),
    attribute: (name) => (Object.prototype.hasOwnProperty.call(table.builtins, name) ? table.builtins[name] : undefined),
  };
  lookups.set(table, lookup);
  return lookup;
}

/**
 * Combines the committed table with one read from the installed Nix: the installed Nix's names,
 * arguments and documentation win; which names are global comes from the committed table when the
 * dump cannot tell (new builtins are never global, so unknown names are not).
 */
export function mergeBuiltinTables(base: BuiltinsTable, installed: BuiltinsTable): BuiltinsTable {
  const builtins: Record<string, BuiltinInfo> = { ...base.builtins };
  for (const [name, info] of Object.entries(installed.builtins)) {
    const known = base.builtins[name];
    builtins[name] = {
      ...known,
      ...info,
      doc: info.doc || known?.doc || '',
      args: info.args.length || !known ? info.args : known.args,
      kind: info.args.length ? 'function' : (known?.kind ?? info.kind),
      global: info.global ?? known?.global,
    };
  }
  return {
    source: installed.source,
    builtins,
    extraGlobals: [...new Set([...(base.extraGlobals ?? []), ...(installed.extraGlobals ?? [])])],
    fromInstalledNix: true,
    installedNames: Object.keys(installed.builtins),
  };
}

/** A one-line signature for hovers and completion details: `map f list`. */
export function builtinSignature(info: BuiltinInfo): string {
  const name = info.global && !info.global.startsWith('__') ? info.global : `builtins.${info.name}`;
  return info.args.length ? `${name} ${info.args.join(' ')}` : name;
}
