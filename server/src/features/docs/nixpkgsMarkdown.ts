// Renders documentation text from nixpkgs and Home Manager for a plain markdown viewer. Current
// option descriptions are markdown with nixpkgs' extensions (roles like {option}`x`, `:::`
// admonitions, heading anchors); older ones are DocBook fragments. Both become common markdown.

/** nixpkgs-flavoured markdown to common markdown. */
export function renderNixpkgsMarkdown(text: string): string {
  return (
    text
      // {option}`a.b`, {command}`nix build`, {manpage}`nix.conf(5)` … → `a.b`
      .replace(/\{(option|command|file|env|var|manpage|samp|code)\}(`+)([\s\S]*?)\2/g, (_m, _role: string, fence: string, body: string) => `${fence}${body}${fence}`)
      // Links to option anchors without text: [](#opt-services.nginx.enable)
      .replace(/\[\]\(#opt-([^)\s]+)\)/g, (_m, name: string) => `\`${name.replace(/\._name_\./g, '.<name>.')}\``)
      // Heading and paragraph anchors: {#some-id}
      .replace(/\s*\{#[A-Za-z0-9_.:-]+\}/g, '')
      // Admonitions: ::: {.note} … ::: → a quoted block with a title.
      .replace(/^:::\s*\{\.(\w+)\}\s*\n([\s\S]*?)^:::\s*$/gm, (_m, kind: string, body: string) => {
        const title = kind.charAt(0).toUpperCase() + kind.slice(1);
        const lines = body.replace(/\s+$/, '').split('\n');
        return [`> **${title}**`, ...lines.map((l) => (l ? `> ${l}` : '>'))].join('\n');
      })
      .trim()
  );
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

/** DocBook fragments (descriptions from before nixpkgs 23.05) to markdown. */
export function renderDocBook(text: string): string {
  const blocks: string[] = [];
  // Code first, so nothing inside it is touched.
  let out = text.replace(/<(programlisting|screen)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g, (_m, _tag: string, body: string) => {
    const code = decodeEntities(body.replace(/^<!\[CDATA\[|\]\]>$/g, '')).replace(/^\n+|\s+$/g, '');
    blocks.push(`\n\n\`\`\`\n${code}\n\`\`\`\n\n`);
    return `\u0000${blocks.length - 1}\u0000`;
  });
  out = out
    .replace(/<(literal|code|option|filename|command|varname|envar|package|function|constant|type|systemitem|uri)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g, (_m, _t: string, body: string) => `\`${decodeEntities(body)}\``)
    .replace(/<replaceable>([\s\S]*?)<\/replaceable>/g, (_m, body: string) => `*${body}*`)
    .replace(/<emphasis\s+role="(strong|bold)">([\s\S]*?)<\/emphasis>/g, (_m, _r: string, body: string) => `**${body}**`)
    .replace(/<emphasis(?:\s[^>]*)?>([\s\S]*?)<\/emphasis>/g, (_m, body: string) => `*${body}*`)
    .replace(/<(?:link|ulink)\s+(?:xlink:href|url)="([^"]*)"\s*\/>/g, (_m, url: string) => `[${url}](${url})`)
    .replace(/<(?:link|ulink)\s+(?:xlink:href|url)="([^"]*)"\s*>([\s\S]*?)<\/(?:link|ulink)>/g, (_m, url: string, body: string) => `[${body}](${url})`)
    .replace(/<xref\s+linkend="(?:opt-)?([^"]*)"\s*\/>/g, (_m, id: string) => `\`${id}\``)
    .replace(
      /<citerefentry>\s*<refentrytitle>([\s\S]*?)<\/refentrytitle>\s*<manvolnum>([\s\S]*?)<\/manvolnum>\s*<\/citerefentry>/g,
      (_m, title: string, volume: string) => `\`${title}(${volume})\``,
    )
    .replace(/<listitem>\s*(?:<para>)?/g, '\n- ')
    .replace(/(?:<\/para>)?\s*<\/listitem>/g, '')
    .replace(/<\/?(itemizedlist|orderedlist|variablelist)(?:\s[^>]*)?>/g, '\n')
    .replace(/<(note|warning|important|tip|caution)>\s*/g, (_m, kind: string) => `\n\n> **${kind.charAt(0).toUpperCase()}${kind.slice(1)}**\n> `)
    .replace(/<\/(note|warning|important|tip|caution)>/g, '\n\n')
    .replace(/<\/?para>/g, '\n\n')
    .replace(/<[^>\u0000]+>/g, '');
  out = decodeEntities(out)
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => blocks[Number(i)])
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
  return out.trim();
}
