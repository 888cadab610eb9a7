/**
 * Error messages in IoTDB's (ANTLR's) words: "mismatched input 'FORM' expecting FROM".
 * Chevrotain asks for one message per failure; besides the text, this remembers the token
 * the failure is at, which for a failed choice can lie past the first token looked at
 * (`where s1 not like 'x'` fails at `like`: `not` could have started `not between`).
 */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType, tokenMatcher } from 'chevrotain';

export class SyntaxErrorMessages implements IParserErrorMessageProvider {
  /** The token the last message is about; EOF when the statement ended too early. */
  offending: IToken | null = null;
  /**
   * The `;` after the statement being parsed (statements are parsed one at a time), shown
   * in place of `<EOF>` since that is what the input has there; null at the end of input.
   */
  terminator: IToken | null = null;

  reset(terminator: IToken | null): void {
    this.offending = null;
    this.terminator = terminator;
  }

  buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken }): string {
    this.offending = options.actual;
    return `mismatched input ${this.quoted(options.actual)} expecting ${labelOf(options.expected)}`;
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken }): string {
    this.offending = options.firstRedundant;
    return `mismatched input ${this.quoted(options.firstRedundant)} expecting {<EOF>, ';'}`;
  }

  buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[] }): string {
    return this.fromPaths(options.expectedPathsPerAlt.flat(), options.actual);
  }

  buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[] }): string {
    return this.fromPaths(options.expectedIterationPaths, options.actual);
  }

  private quoted(token: IToken): string {
    if (token.tokenType !== EOF) return `'${token.image}'`;
    return this.terminator === null ? "'<EOF>'" : `'${this.terminator.image}'`;
  }

  /** Finds how far the input follows some expected path and reports what could come next there. */
  private fromPaths(paths: readonly TokenType[][], actual: readonly IToken[]): string {
    const matched = paths.map((path) => {
      let i = 0;
      while (i < path.length && i < actual.length && tokenMatcher(actual[i]!, path[i]!)) i++;
      return i;
    });
    const depth = Math.max(0, ...matched.filter((m, i) => m < paths[i]!.length));
    const expected: string[] = [];
    paths.forEach((path, i) => {
      if (matched[i] !== depth || depth >= path.length) return;
      const label = labelOf(path[depth]!);
      if (!expected.includes(label)) expected.push(label);
    });
    const offending = actual[Math.min(depth, actual.length - 1)]!;
    this.offending = offending;
    if (expected.length === 0) return `no viable alternative at input ${this.quoted(offending)}`;
    return `mismatched input ${this.quoted(offending)} expecting ${expected.length === 1 ? expected[0] : `{${expected.join(', ')}}`}`;
  }
}

export function labelOf(type: TokenType): string {
  if (type === EOF) return '<EOF>';
  return type.LABEL ?? type.name;
}
