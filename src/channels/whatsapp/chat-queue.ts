// One chat's messages are handled one after another (a patient's "да" must not overtake the
// question it answers); different chats never wait for each other.

export interface ChatQueue {
  /** Queues `task` behind the chat's earlier tasks. The returned promise never rejects. */
  run(chatId: string, task: () => Promise<void>): Promise<void>;
  /** Resolves when every queued task has finished. */
  idle(): Promise<void>;
}

export function createChatQueue(onError: (chatId: string, error: unknown) => void): ChatQueue {
  const tails = new Map<string, Promise<void>>();

  function run(chatId: string, task: () => Promise<void>): Promise<void> {
    const previous = tails.get(chatId) ?? Promise.resolve();
    const current = previous.then(task).catch((error: unknown) => {
      try {
        onError(chatId, error);
      } catch {
        // a failing logger must not break the chat's queue
      }
    });
    tails.set(chatId, current);
    // Forget a chat once its queue is empty, so the map does not grow with every patient ever seen.
    void current.then(() => {
      if (tails.get(chatId) === current) tails.delete(chatId);
    });
    return current;
  }

  async function idle(): Promise<void> {
    while (tails.size > 0) await Promise.all([...tails.values()]);
  }

  return { run, idle };
}
