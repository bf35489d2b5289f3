import { Page } from "../components/Page";
import { routeByName } from "../routes";
import { AboutSection } from "./settings/AboutSection";
import { AppearanceSection } from "./settings/AppearanceSection";
import { StartupSection } from "./settings/StartupSection";
import "./SettingsPage.css";

const ROUTE = routeByName("settings");

/** Settings: theme, launch at login, and information about this install. */
export function SettingsPage() {
  return (
    <Page route={ROUTE}>
      <div className="settings-stack">
        <AppearanceSection />
        <StartupSection />
        <AboutSection />
      </div>
    </Page>
  );
}
