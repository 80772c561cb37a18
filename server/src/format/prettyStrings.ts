// Strings and interpolations. String text is kept exactly as written; only the code inside
// `${ }` is laid out, and the lines of an indented string are re-indented to where the string
// now starts.
import type { Interpolation, StringPart } from './ast';
import { group, line_, nest, newline, offset, sepBy, surroundWith, text, type Doc } from './doc';
import { prettyTrivia, unexpandSpacing } from './prettyBasics';
import { prettyExpression, prettyParenthesizedInner } from './prettyExpressions';
import { prettyTerm } from './prettyTerms';
import { isAbsorbable, isSimple } from './shapes';

export function prettyInterpolation(interpolation: Interpolation): Doc {
  const { expr, final } = interpolation;
  if (final.length === 0 && expr.kind === 'term' && isAbsorbable(expr.term)) {
    return group([...text('${'), ...prettyTerm(expr.term), ...text('}')]);
  }
  if (final.length === 0 && isSimple(expr)) {
    const rendered = prettyExpression(expr);
    return [...text('${'), ...(unexpandSpacing(rendered) ?? rendered), ...text('}')];
  }
  const whole = group([...prettyExpression(expr), ...prettyTrivia(final)]);
  const inner = unexpandSpacing(whole, 30) ?? surroundWith(line_, nest(whole));
  return group([...text('${'), ...inner, ...text('}')]);
}

function prettyPart(part: StringPart): Doc {
  return typeof part === 'string' ? text(part) : prettyInterpolation(part);
}

/** One line of a string. */
export function prettyStringLine(parts: StringPart[]): Doc {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined && typeof only !== 'string') return prettyLoneInterpolation(only);
  const [first, ...rest] = parts;
  // An interpolation alone on its line, after some indentation, opens up like one without it.
  const second = rest[0];
  if (rest.length === 1 && typeof first === 'string' && /^[ \t]*$/.test(first) && second !== undefined && typeof second !== 'string') {
    return [...text(first), ...offset(first.length, prettyLoneInterpolation(second))];
  }
  if (typeof first === 'string') {
    const indentation = /^\s*/.exec(first)![0].length;
    return [...text(first), ...offset(indentation, rest.flatMap(prettyPart))];
  }
  return parts.flatMap(prettyPart);
}

function prettyLoneInterpolation(interpolation: Interpolation): Doc {
  if (interpolation.final.length === 0) return group([...text('${'), ...nest(prettyParenthesizedInner(interpolation.expr)), ...text('}')]);
  return group([...text('${'), ...surroundWith(line_, nest(group([...prettyExpression(interpolation.expr), ...prettyTrivia(interpolation.final)]))), ...text('}')]);
}

export function prettySimpleString(lines: StringPart[][]): Doc {
  return group([...text('"'), ...sepBy(() => text('\n'), lines.map(prettyStringLine)), ...text('"')]);
}

export function prettyIndentedString(lines: StringPart[][]): Doc {
  return group([...text("''"), ...(lines.length >= 2 ? line_() : []), ...nest(sepBy(newline, lines.map(prettyStringLine))), ...text("''")]);
}

export function prettyPath(parts: StringPart[]): Doc {
  return prettyStringLine(parts);
}
