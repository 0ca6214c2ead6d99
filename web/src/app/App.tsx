import { useApolloClient } from "@apollo/client/react";
import { useEffect, useRef } from "react";
import { AppHeader } from "../features/session/AppHeader";
import { LoginForm } from "../features/session/LoginForm";
import { useServices, useToken } from "./services";
import { Workspace } from "./Workspace";

/** When the token goes away from outside this tab's logout (another tab, an expired session), forget the old data. */
function useForgetEndedSession(token: string | null) {
  const client = useApolloClient();
  const { connection } = useServices();
  const previous = useRef(token);
  useEffect(() => {
    if (previous.current && !token) {
      connection.reset();
      void client.clearStore();
    }
    previous.current = token;
  }, [token, client, connection]);
}

export function App() {
  const token = useToken();
  useForgetEndedSession(token);
  if (token) return <Workspace />;
  return (
    <>
      <AppHeader />
      <main className="centered" id="main">
        <LoginForm />
      </main>
    </>
  );
}
