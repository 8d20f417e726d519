import type { ComponentChildren } from "preact";
import type { QueueListEntry } from "../../../wire-types.ts";
import { formatBytes, formatDuration } from "../format.ts";
import { NUMBER_LIMITS } from "../queue-settings.ts";
import type { QueueSettings, SettingsProblems } from "../queue-settings.ts";
import { describedBy, Field } from "./field.tsx";

interface Props {
  settings: QueueSettings;
  onChange: (settings: QueueSettings) => void;
  fifo: boolean;
  /** Queues a dead-letter queue can be chosen from (same type, not this one). */
  candidates: QueueListEntry[];
  /** Shows the access policy here (create); an existing queue edits it on its own tab. */
  withPolicy: boolean;
  /** What the last submit found wrong, shown beside each field. */
  problems: SettingsProblems;
}

/** The settings of the AWS console's create and edit forms, every one of them. */
export function QueueSettingsForm(props: Props) {
  const { settings, onChange, fifo, candidates, withPolicy, problems } = props;
  const set = <K extends keyof QueueSettings>(key: K, value: QueueSettings[K]) =>
    onChange({ ...settings, [key]: value });
  const seconds = (key: keyof typeof NUMBER_LIMITS, id: string, label: string, words: string) => (
    <NumberField
      id={id}
      label={label}
      value={settings[key]}
      onInput={(value) => set(key, value)}
      hint={`${range(key)} seconds: ${words}. ${describe(settings[key], formatDuration)}`}
      error={problems[key]}
    />
  );

  return (
    <>
      <fieldset>
        <legend>Configuration</legend>
        <div class="grid">
          {seconds(
            "visibilityTimeout",
            "set-visibility",
            "Visibility timeout (seconds)",
            "up to 12 hours",
          )}
          {seconds(
            "messageRetentionPeriod",
            "set-retention",
            "Message retention period (seconds)",
            "1 minute to 14 days",
          )}
          {seconds("delaySeconds", "set-delay", "Delivery delay (seconds)", "up to 15 minutes")}
          <NumberField
            id="set-max-size"
            label="Maximum message size (bytes)"
            value={settings.maximumMessageSize}
            onInput={(value) => set("maximumMessageSize", value)}
            hint={`${range("maximumMessageSize")} bytes: 1 KiB to 1 MiB. ${describe(settings.maximumMessageSize, formatBytes)}`}
            error={problems.maximumMessageSize}
          />
          {seconds(
            "receiveMessageWaitTimeSeconds",
            "set-wait",
            "Receive message wait time (seconds)",
            "above 0 is long polling",
          )}
        </div>
        {fifo ? (
          <>
            <Check
              id="set-cbd"
              checked={settings.contentBasedDeduplication}
              onChange={(checked) => set("contentBasedDeduplication", checked)}
            >
              Content-based deduplication (a SHA-256 of the body is the deduplication id)
            </Check>
            <div class="grid">
              <Field id="set-dedup-scope" label="Deduplication scope">
                <select
                  id="set-dedup-scope"
                  value={settings.deduplicationScope}
                  onChange={(event) =>
                    set("deduplicationScope", event.currentTarget.value as "queue" | "messageGroup")
                  }
                >
                  <option value="queue">Queue</option>
                  <option value="messageGroup">Message group</option>
                </select>
              </Field>
              <Field id="set-throughput" label="FIFO throughput limit">
                <select
                  id="set-throughput"
                  value={settings.fifoThroughputLimit}
                  onChange={(event) =>
                    set(
                      "fifoThroughputLimit",
                      event.currentTarget.value as "perQueue" | "perMessageGroupId",
                    )
                  }
                >
                  <option value="perQueue">Per queue</option>
                  <option value="perMessageGroupId">Per message group ID (high throughput)</option>
                </select>
              </Field>
            </div>
          </>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>Encryption</legend>
        <Radios
          name="set-encryption"
          label="Server-side encryption"
          value={settings.encryption}
          onChange={(value) => set("encryption", value as QueueSettings["encryption"])}
          options={[
            ["none", "Disabled"],
            ["sse-sqs", "Amazon SQS key (SSE-SQS)"],
            ["sse-kms", "AWS Key Management Service key (SSE-KMS)"],
          ]}
        />
        {settings.encryption === "sse-kms" ? (
          <div class="grid">
            <Field id="set-kms-key" label="KMS key ID or alias">
              <input
                id="set-kms-key"
                value={settings.kmsMasterKeyId}
                onInput={(event) => set("kmsMasterKeyId", event.currentTarget.value)}
              />
            </Field>
            {seconds(
              "kmsDataKeyReusePeriodSeconds",
              "set-kms-reuse",
              "Data key reuse period (seconds)",
              "1 minute to 24 hours",
            )}
          </div>
        ) : null}
        <small class="hint">
          The local broker records these settings; it stores messages unencrypted.
        </small>
      </fieldset>

      <fieldset>
        <legend>Dead-letter queue</legend>
        <Check
          id="set-dlq-enabled"
          checked={settings.deadLetterEnabled}
          onChange={(checked) => set("deadLetterEnabled", checked)}
        >
          Send messages received too often to a dead-letter queue
        </Check>
        {settings.deadLetterEnabled ? (
          <div class="grid">
            <Field id="set-dlq" label="Dead-letter queue" error={problems.deadLetterTargetArn}>
              <select
                id="set-dlq"
                aria-invalid={problems.deadLetterTargetArn !== undefined}
                aria-describedby={describedBy("set-dlq", false, problems.deadLetterTargetArn)}
                value={settings.deadLetterTargetArn}
                onChange={(event) => set("deadLetterTargetArn", event.currentTarget.value)}
              >
                <option value="">Choose a queue</option>
                {candidates.map((queue) => (
                  <option value={queue.arn}>{queue.name}</option>
                ))}
              </select>
            </Field>
            <NumberField
              id="set-max-receives"
              label="Maximum receives"
              value={settings.maxReceiveCount}
              onInput={(value) => set("maxReceiveCount", value)}
              hint={`${range("maxReceiveCount")} receives before a message moves to the dead-letter queue.`}
              error={problems.maxReceiveCount}
            />
          </div>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>Redrive allow policy</legend>
        <Check
          id="set-allow-enabled"
          checked={settings.redriveAllowEnabled}
          onChange={(checked) => set("redriveAllowEnabled", checked)}
        >
          Restrict which source queues may use this queue as their dead-letter queue
        </Check>
        {settings.redriveAllowEnabled ? (
          <>
            <Radios
              name="set-allow"
              label="Redrive permission"
              value={settings.redrivePermission}
              onChange={(value) =>
                set("redrivePermission", value as QueueSettings["redrivePermission"])
              }
              options={[
                ["allowAll", "Allow all"],
                ["byQueue", "By queue"],
                ["denyAll", "Deny all"],
              ]}
            />
            {settings.redrivePermission === "byQueue" ? (
              <Field
                id="set-allow-sources"
                label="Source queue ARNs (one a line, up to 10)"
                error={problems.redriveSourceArns}
              >
                <textarea
                  id="set-allow-sources"
                  aria-invalid={problems.redriveSourceArns !== undefined}
                  aria-describedby={describedBy(
                    "set-allow-sources",
                    false,
                    problems.redriveSourceArns,
                  )}
                  rows={3}
                  value={settings.redriveSourceArns}
                  onInput={(event) => set("redriveSourceArns", event.currentTarget.value)}
                />
              </Field>
            ) : null}
          </>
        ) : null}
      </fieldset>

      {withPolicy ? (
        <fieldset>
          <legend>Access policy</legend>
          <Field id="set-policy" label="Policy (JSON, optional)">
            <textarea
              id="set-policy"
              rows={5}
              class="code"
              value={settings.policy}
              onInput={(event) => set("policy", event.currentTarget.value)}
            />
          </Field>
        </fieldset>
      ) : null}
    </>
  );
}

function describe(value: string, format: (n: number) => string): string {
  return /^\d+$/.test(value.trim()) ? `Now: ${format(Number(value))}.` : "";
}

/** "0 to 43200": the bounds of a number setting, as typed in the field. */
function range(key: keyof typeof NUMBER_LIMITS): string {
  return `${NUMBER_LIMITS[key].min} to ${NUMBER_LIMITS[key].max}`;
}

function NumberField(props: {
  id: string;
  label: string;
  value: string;
  hint: string;
  error: string | undefined;
  onInput: (value: string) => void;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <input
        id={props.id}
        inputMode="numeric"
        aria-invalid={props.error !== undefined}
        aria-describedby={describedBy(props.id, true, props.error)}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Field>
  );
}

export function Check(props: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ComponentChildren;
}) {
  return (
    <div class="check">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <label for={props.id}>{props.children}</label>
    </div>
  );
}

export function Radios(props: {
  name: string;
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}) {
  return (
    <div class="radios" role="radiogroup" aria-label={props.label}>
      {props.options.map(([value, label]) => (
        <label>
          <input
            type="radio"
            name={props.name}
            value={value}
            checked={props.value === value}
            onChange={() => props.onChange(value)}
          />{" "}
          {label}
        </label>
      ))}
    </div>
  );
}
