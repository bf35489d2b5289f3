import type { ButtonHTMLAttributes } from "react";
import { Icon, type IconName } from "./Icon";
import "./Button.css";

/** Props of {@link Button}. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: "primary" | "secondary" | "ghost";
  icon?: IconName;
}

/** The app's button: primary (accent), secondary (outlined) or ghost (text only). */
export function Button({ variant = "secondary", icon, className, children, type = "button", ...rest }: ButtonProps) {
  const classes = ["btn", `btn-${variant}`, className].filter(Boolean).join(" ");
  return (
    <button type={type} className={classes} {...rest}>
      {icon && <Icon name={icon} size={14} />}
      {children}
    </button>
  );
}
