import { Fragment } from "react";

/**
 * Text whose `backticked` parts are code (a command, a path), as the engine writes its hints:
 * shown in a code face, never with literal backticks; a path may break after a `/`, never
 * mid-word.
 */
export function TextWithCode({ text }: { text: string }) {
  const parts = text.split("`");
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 && i < parts.length - 1 ? (
          <code key={i} className="inline-code">
            {part.split("/").map((piece, j) => (
              <Fragment key={j}>
                {j > 0 && (
                  <>
                    /<wbr />
                  </>
                )}
                {piece}
              </Fragment>
            ))}
          </code>
        ) : (
          <Fragment key={i}>{i % 2 === 1 ? `\`${part}` : part}</Fragment>
        ),
      )}
    </>
  );
}
