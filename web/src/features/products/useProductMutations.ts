import { CombinedGraphQLErrors, type ErrorLike } from "@apollo/client";
import { useApolloClient, useMutation } from "@apollo/client/react";
import { useCallback } from "react";
import type { OperationInfoFieldsFragment, ProductFieldsFragment } from "../../gql/graphql";
import { errorMessage, invalidVariableField, plainMessage } from "../../lib/errors";
import { refreshProductQueries } from "./productCache";
import { CREATE_PRODUCT_MUTATION, DELETE_PRODUCT_MUTATION, UPDATE_PRODUCT_MUTATION } from "./operations";
import {
  toProductInput,
  toProductPatch,
  validateProduct,
  type FormMessage,
  type ProductValues,
} from "./productForm";

type Outcome = OperationInfoFieldsFragment | { __typename: "Product" | "DeletedProduct" };

export interface MutationResult {
  messages: FormMessage[];
  product?: ProductFieldsFragment;
}

function errorMessages(error: ErrorLike): FormMessage[] {
  if (!CombinedGraphQLErrors.is(error)) return [{ field: null, message: errorMessage(error) }];
  return error.errors.map((item) => {
    const field = invalidVariableField(item.message);
    return field
      ? { field, message: "This value was not accepted; check it and try again." }
      : { field: null, message: plainMessage(item.message) };
  });
}

function outcomeMessages(outcome: Outcome | null | undefined, error: ErrorLike | undefined): FormMessage[] {
  if (error) return errorMessages(error);
  if (!outcome) return [{ field: null, message: errorMessage(undefined) }];
  return outcome.__typename === "OperationInfo" ? outcome.messages : [];
}

export function useProductMutations() {
  const client = useApolloClient();
  const [createProduct] = useMutation(CREATE_PRODUCT_MUTATION, { errorPolicy: "all" });
  const [updateProduct] = useMutation(UPDATE_PRODUCT_MUTATION, { errorPolicy: "all" });
  const [deleteProduct] = useMutation(DELETE_PRODUCT_MUTATION, { errorPolicy: "all" });

  const create = useCallback(
    async (values: ProductValues): Promise<MutationResult> => {
      const problems = validateProduct(values);
      if (problems.length > 0) return { messages: problems };
      const { data, error } = await createProduct({ variables: { input: toProductInput(values) } });
      const messages = outcomeMessages(data?.createProduct, error);
      if (messages.length > 0) return { messages };
      await refreshProductQueries(client);
      const created = data?.createProduct;
      return { messages, product: created?.__typename === "Product" ? created : undefined };
    },
    [client, createProduct],
  );

  const update = useCallback(
    async (id: string, original: ProductValues, values: ProductValues): Promise<MutationResult> => {
      const problems = validateProduct(values);
      if (problems.length > 0) return { messages: problems };
      const input = toProductPatch(original, values);
      if (Object.keys(input).length === 0) return { messages: [] };
      const { data, error } = await updateProduct({ variables: { id, input } });
      const messages = outcomeMessages(data?.updateProduct, error);
      if (messages.length > 0) return { messages };
      // The row updates through the normalized cache; sorted or filtered lists may reorder.
      void refreshProductQueries(client);
      const updated = data?.updateProduct;
      return { messages, product: updated?.__typename === "Product" ? updated : undefined };
    },
    [client, updateProduct],
  );

  const remove = useCallback(
    async (id: string): Promise<MutationResult> => {
      const { data, error } = await deleteProduct({ variables: { id } });
      const messages = outcomeMessages(data?.deleteProduct, error);
      if (messages.length > 0) return { messages };
      client.cache.evict({ id: client.cache.identify({ __typename: "Product", id }) });
      client.cache.gc();
      await refreshProductQueries(client);
      return { messages };
    },
    [client, deleteProduct],
  );

  return { create, update, remove };
}
