import { CombinedGraphQLErrors, ServerError } from "@apollo/client";

export function hasErrorCode(error: unknown, code: string): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((item) => item.extensions?.code === code);
}

const VARIABLE_COERCION = /^Variable '\$[\w]+' (?:got|has) invalid value/;

/** The server's words, except GraphQL's own input-checking text, which is not meant for people. */
export function plainMessage(message: string): string {
  if (VARIABLE_COERCION.test(message)) return "Some of the values could not be read. Check them and try again.";
  return message;
}

/** The input field a variable-coercion error points at ("… at 'input.price'"), if any. */
export function invalidVariableField(message: string): string | null {
  if (!VARIABLE_COERCION.test(message)) return null;
  return /at '[\w]+\.([\w]+)'/.exec(message)?.[1] ?? null;
}

export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || ServerError.is(error);
}

export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((item) => plainMessage(item.message)).join(" ");
  if (error instanceof TypeError) return "The server cannot be reached. Retrying when the connection is back…";
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Please try again.";
}
