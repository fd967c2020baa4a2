/**
 * The outbox kind of a message an operator writes to a patient first (from the patient card), not
 * in answer to them. It is a service message (category "transactional"): it respects the opt-out,
 * waits while another operator holds the chat, and also waits out the quiet hours, as a clinic
 * would not ring a patient at night. The marketing frequency cap does not apply to it.
 */
export const OPERATOR_FIRST_KIND = "operator:first";
