import { Paper, Stepper } from '@mantine/core';
import type { RolloutPhase } from '../../../../shared/rollout';

const stepIndex: Record<RolloutPhase, number> = { enable: 0, communicate: 1, require: 2 };

/** The guide's three phases, with the org's place among them. */
export function PhaseTracker(props: { phase: RolloutPhase; enabled: boolean }) {
  // Phase 1 is done once 2FA is on; Phase 3 is done once it is required.
  const active =
    props.phase === 'require'
      ? 3
      : props.phase === 'enable' && props.enabled
        ? 1
        : stepIndex[props.phase];
  return (
    <Paper withBorder p="lg" radius="md">
      <Stepper active={active} allowNextStepsSelect={false} aria-label="Rollout phases">
        <Stepper.Step
          label="Phase 1: Enable"
          description="2FA available, optional; early adopters try it"
        />
        <Stepper.Step
          label="Phase 2: Communicate"
          description="Announce with at least 2 weeks' notice"
        />
        <Stepper.Step label="Phase 3: Require" description="Everyone sets up 2FA at sign-in" />
      </Stepper>
    </Paper>
  );
}
