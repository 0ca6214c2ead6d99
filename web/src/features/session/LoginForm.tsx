import { useState, type FormEvent } from "react";
import { useSignOutNotice } from "../../app/services";
import { errorMessage } from "../../lib/errors";
import { useLogin } from "./useSession";

export function LoginForm() {
  const { login, loading, error } = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const notice = useSignOutNotice();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void login(email.trim(), password);
  };

  return (
    <form className="panel login" onSubmit={onSubmit} aria-label="Sign in">
      <h2>Sign in</h2>
      {notice && (
        <p className="notice" role="status" data-testid="session-notice">
          {notice === "expired"
            ? "Your session has expired. Please sign in again."
            : "You were signed out in another tab. Sign in to continue."}
        </p>
      )}
      <label>
        Email
        <input
          data-testid="login-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </label>
      <label>
        Password
        <input
          data-testid="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="login-error">
          {errorMessage(error)}
        </p>
      )}
      <button data-testid="login-submit" type="submit" disabled={loading}>
        {loading ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
