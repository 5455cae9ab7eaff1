import type { DeadLetteredDelivery, Notification, NotificationSink } from '../../src/modules/receivers/notification.js';

/**
 * The receivers module as the alerts module sees it: a real in-memory sink that records every notification handed
 * to it and lists fixed receiver names. It records at enqueue time, so a transaction rolled back after enqueuing
 * would still show its notification (the real sink's job would vanish): tests here never roll one back on purpose.
 * `deadLetter` plays a delivery ending in the dead-letter state.
 */
export interface RecordingSink extends NotificationSink {
  notifications: Notification[];
  deadLetter(delivery: DeadLetteredDelivery): Promise<void>;
}

/** `receiverNames` stays live: a test may remove a receiver (as an admin deleting it) and add it back. */
export function createRecordingSink(receiverNames: string[] = ['default', 'pager']): RecordingSink {
  const listeners: Array<(delivery: DeadLetteredDelivery) => Promise<void>> = [];
  const sink: RecordingSink = {
    notifications: [],
    async enqueue(notification, options) {
      if (!receiverNames.includes(notification.receiver)) throw new Error(`no receiver named ${notification.receiver}`);
      // The real sink enqueues inside the caller's transaction: the handle must be usable.
      if (options?.tx) await options.tx.query('select 1');
      sink.notifications.push(structuredClone(notification));
    },
    async enqueueMany(notifications, options) {
      const missing = notifications.find((notification) => !receiverNames.includes(notification.receiver));
      if (missing) throw new Error(`no receiver named ${missing.receiver}`);
      if (options?.tx) await options.tx.query('select 1');
      sink.notifications.push(...notifications.map((notification) => structuredClone(notification)));
    },
    receiverNames: async () => [...receiverNames],
    onDeadLettered(listener) {
      listeners.push(listener);
    },
    async deadLetter(delivery) {
      for (const listener of listeners) await listener(delivery);
    },
  };
  return sink;
}
