import type { UsageView } from "../../backend";
import { StatCard } from "../../components/StatCard";
import { formatUsd } from "../../format/money";
import { formatCount, plural } from "../../format/number";
import { formatPercent, formatTokensShort } from "../../format/usage";

/** The window's headline figures: cost, tokens, what caching saved, unpriced tokens, "what if". */
export function UsageStats({ view }: { view: UsageView }) {
  const t = view.totals.totals;
  const unbilled = t.abortedCalls + t.failedCalls;
  const unpricedModels = view.models.filter((m) => m.unpricedReason !== null).length;
  const reported = t.reportedCostUsd ?? 0;
  const cost = t.costUsd ?? 0;
  const whatIf = view.totals.whatIfUsd;
  return (
    <div className="usage-stats">
      <StatCard
        label="Cost"
        emphasis
        value={formatUsd(t.costUsd)}
        valueTestId="usage-cost"
        footnote={
          <>
            {plural(t.calls, "model call")}
            {unbilled > 0 && ` · ${formatCount(unbilled)} aborted or failed (not billed)`}
            {Math.abs(reported - cost) >= 0.005 && ` · OpenClaw reported ${formatUsd(reported)}`}
          </>
        }
      />
      <StatCard
        label="Tokens"
        value={formatTokensShort(t.totalTokens)}
        valueTestId="usage-tokens"
        footnote={`${formatPercent(view.totals.cacheHitRatio)} of prompt tokens from cache`}
      />
      <StatCard
        label="Caching saved"
        value={view.totals.cacheSavedUsd === null ? "—" : formatUsd(view.totals.cacheSavedUsd)}
        valueTestId="usage-saved"
        footnote="At list prices, less cache writes"
      />
      <StatCard
        label="Unpriced tokens"
        value={formatTokensShort(t.unpricedTokens)}
        valueTestId="usage-unpriced"
        footnote={t.unpricedTokens > 0 ? `${plural(unpricedModels, "model")} without a price: see Models` : "Every token has a price"}
      />
      {whatIf !== null && (
        <StatCard
          label={`On ${view.whatIf}`}
          value={formatUsd(whatIf)}
          valueTestId="usage-what-if"
          footnote={cost > 0 ? `${whatIf >= cost ? "+" : "−"}${formatPercent(Math.abs(whatIf - cost) / cost)} against what it cost` : "The same tokens at its list prices"}
        />
      )}
    </div>
  );
}
