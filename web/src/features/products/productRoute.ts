import { useCallback, useEffect, useState } from "react";

/** The app's client-side routes: "/" and "/products/<id>" (a product opened over the list). */
const PRODUCT_PATH = /^\/products\/([^/]+)\/?$/;

export function productPath(id: string): string {
  return `/products/${encodeURIComponent(id)}`;
}

export function productIdFromPath(pathname: string): string | null {
  const match = PRODUCT_PATH.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export function useProductRoute() {
  const [openId, setOpenId] = useState(() => productIdFromPath(window.location.pathname));

  useEffect(() => {
    const onPopState = () => setOpenId(productIdFromPath(window.location.pathname));
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  const open = useCallback((id: string) => {
    window.history.pushState(null, "", productPath(id));
    setOpenId(id);
  }, []);

  const close = useCallback(() => {
    window.history.pushState(null, "", "/");
    setOpenId(null);
  }, []);

  return { openId, open, close };
}
