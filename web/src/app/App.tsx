import { AppHeader } from "../features/session/AppHeader";
import { LoginForm } from "../features/session/LoginForm";
import { useToken } from "./services";
import { Workspace } from "./Workspace";

export function App() {
  const token = useToken();
  if (token) return <Workspace />;
  return (
    <>
      <AppHeader />
      <main className="centered">
        <LoginForm />
      </main>
    </>
  );
}
