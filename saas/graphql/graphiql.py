"""The GraphiQL console of a tenant host (docs/api.md, "GraphiQL").

Strawberry's self-hosted page (views.GRAPHIQL_HTML) keeps its head (scripts, styles, integrity
hashes); its inline script is replaced by the console's own, which:

- opens on a starter document naming this tenant, with one operation per thing a client does;
- signs in from a form (never from the query editor, so the password is in no document, variable,
  URL or history entry): ``login(session: true)`` by POST, then the token goes into the headers
  editor as ``Authorization: Bearer ...`` and into the websocket's ``connection_init``;
- sends every operation by POST (queries and mutations) or over the websocket (subscriptions),
  never by GET, and never writes the document or variables into the URL;
- sends the ``X-CSRFToken`` header read from the cookie at each request, so a session started by
  the form works at once.
"""

import html
import json
import re

from django.core.exceptions import ImproperlyConfigured
from django.utils.html import json_script

from saas import hooks

_INLINE_SCRIPT = re.compile(r"<script>\s*const EXAMPLE_QUERY.*?</script>", re.DOTALL)
_BODY = "<body>"

SIGN_IN_BAR = """
    <style>
      #graphiql { height: calc(100vh - 2.75rem); }
      #sign-in { display: flex; gap: .5rem; align-items: center; height: 2.75rem; padding: 0 1rem;
        box-sizing: border-box; font: 14px system-ui, sans-serif; border-bottom: 1px solid #ddd; }
      #sign-in input { font: inherit; padding: .2rem .4rem; }
      #sign-in .tenant { font-weight: 600; margin-right: auto; }
      #sign-in [hidden] { display: none; }
    </style>
    <form id="sign-in" method="post" action="#" autocomplete="on">
      <span class="tenant">{tenant}</span>
      <span id="sign-in-status" role="status"></span>
      <input id="sign-in-email" name="email" type="email" placeholder="email" autocomplete="username" required>
      <input id="sign-in-password" name="password" type="password" placeholder="password"
             autocomplete="current-password" required>
      <button id="sign-in-submit" type="submit">Sign in</button>
      <button id="sign-out" type="button" hidden>Sign out</button>
    </form>
"""

CONSOLE_SCRIPT = """
    <script>
      const STARTER = JSON.parse(document.getElementById("graphiql-starter").textContent);
      const endpoint = window.location.origin + window.location.pathname;
      // Nothing of a document or its variables belongs in the address bar or the history.
      if (window.location.search || window.location.hash) {
        history.replaceState(null, "", window.location.pathname);
      }
      const wsEndpoint = endpoint.replace(/^http/, "ws");

      let token = null;  // the bearer token the headers editor holds, in memory only

      function csrfHeader() {
        const csrf = Cookies.get("csrftoken");
        return csrf ? { "X-CSRFToken": csrf } : {};
      }

      function bearerOf(headers) {
        for (const [name, value] of Object.entries(headers || {})) {
          const match = /^Bearer\\s+(\\S+)$/i.exec(String(value));
          if (name.toLowerCase() === "authorization" && match) return match[1];
        }
        return null;
      }

      async function post(body, headers) {
        const response = await fetch(endpoint, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", ...csrfHeader(), ...headers },
          body: JSON.stringify(body),
        });
        return response.json();
      }

      const baseFetcher = GraphiQL.createFetcher({
        url: endpoint,
        subscriptionUrl: wsEndpoint,
        // GraphiQL opens a socket per subscription with these params (plus the editor's headers),
        // read then: the connection_init payload carries the token of the headers editor.
        wsConnectionParams: { get authToken() { return token || undefined; } },
        fetch: (url, init) => fetch(url, {
          ...init,
          method: "POST",
          credentials: "same-origin",
          headers: { ...init.headers, ...csrfHeader() },
        }),
      });

      function fetcher(params, options) {
        token = bearerOf(options && options.headers);
        return baseFetcher(params, options);
      }

      const status = document.getElementById("sign-in-status");
      const form = document.getElementById("sign-in");
      const signOut = document.getElementById("sign-out");
      let setHeaders = () => {};

      function showSignedIn(email) {
        status.textContent = email ? "Signed in as " + email : "";
        for (const id of ["sign-in-email", "sign-in-password", "sign-in-submit"]) {
          document.getElementById(id).hidden = Boolean(email);
        }
        signOut.hidden = !email;
      }

      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const password = document.getElementById("sign-in-password");
        const result = await post({
          query: STARTER.signIn,
          variables: { email: document.getElementById("sign-in-email").value, password: password.value },
        });
        password.value = "";
        if (result.data && result.data.login) {
          token = result.data.login.token;
          setHeaders(JSON.stringify({ Authorization: "Bearer " + token }, null, 2));
          showSignedIn(result.data.login.user.email);
        } else {
          status.textContent = (result.errors || [{ message: "Sign-in failed." }])[0].message;
        }
      });

      signOut.addEventListener("click", async () => {
        await post({ query: "mutation SignOut { logout }" }, token ? { Authorization: "Bearer " + token } : {});
        token = null;
        setHeaders("");
        showSignedIn(null);
      });

      post({ query: "query Me { me { email } }" }).then((result) => {
        if (result.data && result.data.me) showSignedIn(result.data.me.email);
      });

      function Console() {
        const [headers, updateHeaders] = React.useState("");
        setHeaders = updateHeaders;
        return React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultQuery: STARTER.document,
          headers: headers,
          onEditHeaders: updateHeaders,
          defaultEditorToolsVisibility: true,
          plugins: [GraphiQLPluginExplorer.explorerPlugin()],
          inputValueDeprecation: true,
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: false,
        });
      }

      ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(Console));
    </script>
"""

SIGN_IN = """
mutation SignIn($email: String!, $password: String!) {
  login(email: $email, password: $password, session: true) { token user { email } }
}
"""


def starter_document(*, tenant_name: str, schema_name: str, host: str, search_word: str) -> str:
    """The document GraphiQL opens with on this tenant: each operation a client needs, runnable as is."""
    return f"""# {tenant_name} ({schema_name}) on {host}
#
# Sign in with the form above: it puts `Authorization: Bearer <token>` into the headers editor
# (and starts a session for this browser). Pick an operation with the run button.
# Queries and mutations go by POST, subscriptions over the websocket with the same token.

query Whoami {{
  tenant {{ name schemaName }}
  me {{ email isStaff }}
}}

# Next page: pass pageInfo.endCursor as `after` in the variables editor.
query Products($after: String) {{
  products(first: 5, after: $after, order: {{ name: ASC }}) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ id name sku price }} }}
  }}
}}

query Search {{
  searchProducts(query: {json.dumps(search_word)}, first: 5) {{ id name price }}
}}

subscription Notifications {{
  notifications {{ id message level createdAt }}
}}
"""


def console_page(base_html: str, *, tenant_name: str, schema_name: str, host: str, search_word: str) -> str:
    """Strawberry's GraphiQL page with the console's sign-in bar, starter document and script."""
    if not _INLINE_SCRIPT.search(base_html) or _BODY not in base_html:
        raise ImproperlyConfigured("GraphiQL page layout changed: the console script cannot be placed.")
    starter = {
        "document": starter_document(
            tenant_name=tenant_name, schema_name=schema_name, host=host, search_word=search_word
        ),
        "signIn": SIGN_IN,
    }
    page = _INLINE_SCRIPT.sub(lambda _match: json_script(starter, "graphiql-starter") + CONSOLE_SCRIPT, base_html)
    page = page.replace("<title>Strawberry GraphiQL</title>", f"<title>{html.escape(tenant_name)} · GraphiQL</title>")
    return page.replace(_BODY, _BODY + SIGN_IN_BAR.replace("{tenant}", html.escape(tenant_name)), 1)


def sample_search_word() -> str:
    """A word that finds something in this tenant's data (``saas.hooks.console_search_word``: the
    first word of its first product), else "example"."""
    provider = hooks.console_search_word.get_or_none()
    word = provider() if provider is not None else None
    return word or "example"


def render_console(base_html: str, request) -> str:
    tenant = getattr(request, "tenant", None)  # always set on a tenant host; a bare view may lack it
    return console_page(
        base_html,
        tenant_name=tenant.name if tenant else "GraphQL",
        schema_name=tenant.schema_name if tenant else "-",
        host=request.get_host(),
        search_word=sample_search_word() if tenant else "example",
    )
