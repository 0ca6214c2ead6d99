import { ApolloProvider } from "@apollo/client/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { createConnectionMonitor } from "./app/connectionMonitor";
import { createApolloClient, websocketUrl } from "./app/createApolloClient";
import { ServicesProvider } from "./app/services";
import { createTokenStore } from "./app/tokenStore";
import "./styles.css";

const tokens = createTokenStore(window.localStorage, window.location.host, window);
const connection = createConnectionMonitor();
const client = createApolloClient({
  httpUrl: "/graphql/",
  wsUrl: websocketUrl(window.location),
  tokens,
  connection,
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <ServicesProvider services={{ tokens, connection }}>
      <ApolloProvider client={client}>
        <App />
      </ApolloProvider>
    </ServicesProvider>
  </StrictMode>,
);
