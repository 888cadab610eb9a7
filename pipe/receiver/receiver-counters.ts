/** Running totals of a receiver for metrics: requests it applied, points written from them, files loaded. */
export class ReceiverCounters {
  requests = 0;
  points = 0;
  filesLoaded = 0;
}
