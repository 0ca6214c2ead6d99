import { CombinedGraphQLErrors } from "@apollo/client";

export function hasErrorCode(error: unknown, code: string): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((item) => item.extensions?.code === code);
}

export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((item) => item.message).join(" ");
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Please try again.";
}
