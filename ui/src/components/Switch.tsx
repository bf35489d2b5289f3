import type { InputHTMLAttributes } from "react";
import "./Switch.css";

/** Props of {@link Switch}. */
export interface SwitchProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "onChange"> {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/**
 * An on/off switch. It is a real `<input type="checkbox" role="switch">` styled in place (not
 * hidden behind a fake), so keyboards, screen readers and WebDriver all interact with it.
 */
export function Switch({ checked, onChange, className, ...rest }: SwitchProps) {
  return (
    <input
      {...rest}
      type="checkbox"
      role="switch"
      className={["switch", className].filter(Boolean).join(" ")}
      checked={checked}
      aria-checked={checked}
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}
