import type { ErrorLike } from "@apollo/client";
import { useApolloClient, useMutation } from "@apollo/client/react";
import { useCallback } from "react";
import type { OperationInfoFieldsFragment } from "../../gql/graphql";
import { errorMessage } from "../../lib/errors";
import {
  CREATE_PRODUCT_MUTATION,
  DELETE_PRODUCT_MUTATION,
  PRODUCTS_QUERY,
  UPDATE_PRODUCT_MUTATION,
} from "./operations";
import { toProductInput, toProductPatch, type FormMessage, type ProductValues } from "./productForm";

type Outcome = OperationInfoFieldsFragment | { __typename: "Product" | "DeletedProduct" };

function outcomeMessages(outcome: Outcome | null | undefined, error: ErrorLike | undefined): FormMessage[] {
  if (error || !outcome) return [{ field: null, message: errorMessage(error) }];
  return outcome.__typename === "OperationInfo" ? outcome.messages : [];
}

export function useProductMutations() {
  const client = useApolloClient();
  const [createProduct] = useMutation(CREATE_PRODUCT_MUTATION, { errorPolicy: "all" });
  const [updateProduct] = useMutation(UPDATE_PRODUCT_MUTATION, { errorPolicy: "all" });
  const [deleteProduct] = useMutation(DELETE_PRODUCT_MUTATION, { errorPolicy: "all" });

  const refreshList = useCallback(
    async (messages: FormMessage[]) => {
      if (messages.length === 0) await client.refetchQueries({ include: [PRODUCTS_QUERY] });
      return messages;
    },
    [client],
  );

  const create = useCallback(
    async (values: ProductValues) => {
      const { data, error } = await createProduct({ variables: { input: toProductInput(values) } });
      return refreshList(outcomeMessages(data?.createProduct, error));
    },
    [createProduct, refreshList],
  );

  const update = useCallback(
    async (id: string, original: ProductValues, values: ProductValues) => {
      const input = toProductPatch(original, values);
      if (Object.keys(input).length === 0) return [];
      const { data, error } = await updateProduct({ variables: { id, input } });
      return outcomeMessages(data?.updateProduct, error);
    },
    [updateProduct],
  );

  const remove = useCallback(
    async (id: string) => {
      const { data, error } = await deleteProduct({ variables: { id } });
      return refreshList(outcomeMessages(data?.deleteProduct, error));
    },
    [deleteProduct, refreshList],
  );

  return { create, update, remove };
}
