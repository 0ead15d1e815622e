// The implementation guide's REPL API as aliases of the guest API: documented in the README, not
// taught by the default prompt. Guest source, spliced into the prelude where `host`, `def`,
// `firstArg`, `secondArg`, `serialize` and `isError` are in scope.

export const GUEST_ALIAS_NAMES = [
  'get_context_length',
  'get_context_chunk',
  'call_submodel',
  'aggregate_results',
]

export const GUEST_ALIASES = `var argError = function (message) {
    var e = new Error(message);
    e.code = 'E_ARGUMENT';
    return relabel(e);
  };
  def('get_context_length', function get_context_length() { return host.context_tokens(); });
  def('get_context_chunk', function get_context_chunk(start, end) {
    var list = host.chunks({});
    var a = Math.trunc(Number(start));
    var b = end === undefined ? a + 1 : Math.trunc(Number(end));
    if (!(a >= 0 && b > a && b <= list.length)) {
      throw argError('get_context_chunk(start, end): need chunk indices 0 <= start < end <= ' + list.length + ' (the chunks of chunks(), end excluded), got ' + start + ', ' + end + '.');
    }
    return host.ctx_slice(list[a].start, list[b - 1].end);
  });
  def('call_submodel', function call_submodel(chunk, query) {
    return host.llm_query(firstArg(query), secondArg(chunk));
  });
  def('aggregate_results', function aggregate_results(results, query) {
    if (!Array.isArray(results)) throw argError('aggregate_results(results, query?): results must be an array of partial answers.');
    var parts = results.filter(function (r) { return !isError(r); });
    var about = query === undefined || query === null ? '' : ' to the query "' + String(query) + '"';
    var prompt = 'Merge these ' + parts.length + ' partial answers' + about + ' into one answer. Keep every distinct fact, drop repetitions, and say where they disagree.\\n\\n' +
      parts.map(function (p, i) { return '[' + (i + 1) + '] ' + serialize(p); }).join('\\n\\n');
    return host.llm_query(prompt, null);
  });`
