import type { Theme } from "../../backend";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SegmentedControl, type SegmentOption } from "../../components/SegmentedControl";
import { SettingRow } from "../../components/SettingRow";
import { useTheme } from "../../theme/ThemeContext";

const THEME_OPTIONS: readonly SegmentOption<Theme>[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

/** Settings › Appearance: the theme selector, applied at once and saved through the backend. */
export function AppearanceSection() {
  const { theme, setTheme, error } = useTheme();
  return (
    <Card title="Appearance">
      <SettingRow
        label="Theme"
        description="System follows your operating system's light or dark mode."
        control={
          <SegmentedControl label="Theme" options={THEME_OPTIONS} value={theme} onChange={setTheme} testIdPrefix="theme" />
        }
        footer={error && <ErrorPanel compact error={error} testId="theme-error" />}
      />
    </Card>
  );
}
