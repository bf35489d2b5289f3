import { useSearchParams } from "react-router-dom";
import { Page } from "../components/Page";
import { routeByName } from "../routes";
import { SessionsBrowser } from "./sessions/SessionsBrowser";
import { SessionView } from "./sessions/SessionView";
import "./sessions/sessions.css";

const ROUTE = routeByName("sessions");

/**
 * Sessions: every session of every agent with filters and search; a session opens its timeline
 * and sub-agent tree. The open session and entry are in the address (`?key=…&entry=…`), so a
 * link to an entry works and Back returns to the list.
 */
export function SessionsPage() {
  const [params, setParams] = useSearchParams();
  const key = params.get("key");
  const open = (next: string, entry?: string) => setParams(entry ? { key: next, entry } : { key: next });
  return (
    <Page route={ROUTE}>
      {key ? (
        <SessionView
          key={key}
          sessionKey={key}
          entryId={params.get("entry")}
          onOpen={open}
          onBack={() => setParams({})}
        />
      ) : (
        <SessionsBrowser onOpen={(k) => open(k)} />
      )}
    </Page>
  );
}
