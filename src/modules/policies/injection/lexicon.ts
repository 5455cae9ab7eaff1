/**
 * The words the injection detector knows, grouped into concepts ("a verb that discards instructions", "a noun for
 * the rules an assistant follows"). Rules (rules.ts) are written over concepts, not words, so one rule covers its
 * paraphrases and its translations. Entries are in the folded form the tokens take (normalise.ts): lower case,
 * without diacritics, apostrophes of English contractions dropped (`dont`, `youre`); an entry of several words is a
 * phrase, matched on consecutive tokens. English here; Spanish, French, German and Portuguese in lexicon-intl.ts.
 */

export const CONCEPTS = [
  'override_verb', // ignore, disregard, forget …
  'instruction_noun', // instructions, rules, guidelines …
  'prior_mod', // previous, above, your, system …  (whose instructions: the assistant's, not the user's)
  'vague_object', // everything, anything, all of that
  'self_mod', // my, mine: the user revising their own instructions
  'you', // you, your
  'your', // your, yours: whose prompt
  'persona', // you are now, act as, pretend to be …
  'neg_quant', // no, without, free of …
  'limit_noun', // restrictions, limits, filters, ethics …
  'removal_adj', // unrestricted, uncensored, unfiltered …
  'never', // never, do not …
  'refuse', // refuse, decline, apologise, warnings …
  'dan', // the token "dan"
  'named_strong', // do anything now, antigpt …
  'mode_name', // developer, jailbreak, god … (before "mode")
  'mode', // mode
  'jailbreak', // jailbreak, jailbroken
  'ai_ref', // chatgpt, ai, assistant, language model …
  'enable', // enable, activate, enter, switch to …
  'two', // two, both, dual …
  'response', // responses, answers, outputs …
  'normal_side', // normal, classic, filtered …
  'free_side', // unfiltered, jailbroken, evil …
  'fiction', // story, hypothetical, game …
  'harmful', // bomb, malware, meth …
  'howto', // step by step, in detail, recipe …
  'extract_verb', // reveal, print, repeat …
  'sysprompt', // system prompt, initial prompt …
  'above', // above, before this, so far …
  'verbatim', // verbatim, word for word …
  'decode_verb', // decode, decipher …
  'follow_verb', // follow, execute, obey …
  'meta', // prompt injection, attacker, classifier … (a discussion about attacks)
  'address_cue', // if you are, note to, attention …
  'agent_ref', // ai, assistant, agent, model … (as the addressee of data)
  'imperative_cue', // must, should, reading this, processing …
  'action_verb', // send, forward, delete, reveal …
  'conceal', // do not tell, secretly …
  'user', // the user, the human …
  'task_cue', // new instructions, your task is, in your summary …
  'secret_noun', // password, credentials, api key, conversation …
  'url', // http, https, www
  'rot13', // rot13 forms of the core words
  'stay_character', // stay in character, never break character
  'vocative', // an agent addressed by name: "Assistant, …" (set by the matcher, not by words)
  'void_state', // cancelled, no longer apply, were a test …
  'no_longer', // no longer, anymore, nicht mehr …
  'you_are', // you are, you have, your responses …
  'determiner', // the, our, my …: "our assistant, Jenna," describes an assistant rather than addressing one
] as const;
export type Concept = (typeof CONCEPTS)[number];

export type Lexicon = Partial<Record<Concept, readonly string[]>>;

const words = (text: string): string[] =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

export const ENGLISH: Lexicon = {
  override_verb: words(`ignore, ignoring, ignores, disregard, disregarding, forget, forgetting, override, overriding, overrule, bypass,
    bypassing, circumvent, discard, abandon, dismiss, neglect, nullify, erase, wipe, scrap, ditch, set aside, pay no attention to,
    stop following, dont follow, do not follow, no longer follow, stop obeying, dont obey, do not obey, throw out, throw away,
    disobey, unlearn, drop all, cancel all, delete all, clear all, reset all, supersede, supersedes, replace all, skip all,
    throw them away, throw them out, throw it away, throw those away, get rid of`),
  instruction_noun: words(`instructions, instruction, rules, rule, guidelines, guideline, directives, directive, prompt, prompts,
    programming, constraints, restrictions, policies, guardrails, filters, orders, commands, training, conditioning, guidance,
    system prompt, system message, safety guidelines, content policy, ethical guidelines, protocols, protocol, limitations, safeguards,
    moral guidelines, principles, settings, configuration, preprompt, pre prompt`),
  prior_mod: words(`previous, previously, prior, above, earlier, preceding, former, original, originally, initial, before, your,
    system, preset, existing, given, developer, openai, anthropic, you were given, you were told, you have been given,
    you have been told, you received, you got, you know, you learned, you follow, so far, until now, up to now, beforehand, all previous,
    all prior, all your, all of your, all the previous, any previous`),
  vague_object: words(`everything, anything, whatever, all of that, all that, what you were told, whatever you were told, all of the above,
    the above, what came before, all of it`),
  self_mod: words('my, mine, i gave, i wrote, i sent, i said, i asked'),
  you: words(`you, your, yourself, youre, youve, youll, youd, u, ur, thou`),
  your: words('your, yours, ur, thy, you were given, you have, you received, you got'),
  persona: words(`you are now, youre now, you are going to act, you are going to be, you will now act, you will act as,
    you will now be, you are going to pretend, from now on, from this point on, from this moment, act as, acting as, act like,
    pretend to be, pretend you are, pretend youre, pretend that you, roleplay as, role play as, play the role, take on the role,
    take on the persona, assume the persona, adopt the persona, new persona, imagine you are, imagine youre, simulate being,
    impersonate, transform into, become, you shall be, your new name, you will respond as, respond as, answer as, reply as,
    answering as, responding as, replying as, youre going to, you are going to, you will be,
    you are no longer, you are not chatgpt, stop being, behave as, behave like`),
  neg_quant: words(`no, without, zero, free of, free from, freed from, not bound by, not restricted by, not limited by, not subject to,
    unbound by, liberated from, released from, beyond, outside of, exempt from, doesnt have, does not have, dont have, do not have,
    doesnt follow, does not follow, doesnt care about, does not care about, dont care about, never follows, broken free of,
    break free of, broke free of, escaped, disabled, removed, lifted, off, turned off, switched off`),
  limit_noun: words(`restrictions, restriction, limits, limitations, limitation, rules, filters, filter, guidelines, ethics, morals,
    morality, ethical guidelines, moral guidelines, boundaries, censorship, constraints, safeguards, guardrails, policies,
    content policy, content policies, content filter, content filters, safety filters, safety guidelines, moderation, principles,
    ethical constraints, moral constraints, ethical principles, limit, conscience, scruples, taboos, laws, regulations, shackles,
    chains, confines, programming, typical confines`),
  removal_adj: words(`unrestricted, uncensored, unfiltered, unbound, unchained, unshackled, unconstrained, amoral,
    unethical, unmoderated, unaligned, unhinged, limitless, lawless, rule free, filterless, restriction free, censorship free`),
  never: words(`never, dont, do not, doesnt, does not, wont, will not, cannot, cant, must not, mustnt, should not, shouldnt, not allowed to,
    under no circumstances, no matter what, without, avoid, stop`),
  refuse: words(`refuse, refuses, refusing, refusal, refusals, decline, declines, deny, apologize, apologise, apologizing, apology,
    apologies, disclaimer, disclaimers, warning, warnings, caveat, caveats, moralize, moralizing, lecture, lecturing, censor,
    censoring, say no, says no, say you cant, say you cannot, reject, hesitate`),
  dan: words('dan, d a n'),
  named_strong: words(`do anything now, antigpt, anti gpt, betterdan, better dan, mongo tom, evil confidant, evilbot, evil bot,
    chaosgpt, ucar, aim stands for, always intelligent and machiavellian, stan stands for, strive to avoid norms, dude stands for,
    maximum virtual machine, opposite day, niccolo machiavelli, apophis, omega unrestricted, developer mode enabled,
    developer mode output, jailbroken mode, jailbreak mode, dan mode, god mode enabled, unrestricted mode, unfiltered mode,
    uncensored mode, evil mode, chaos mode, do anything, no filter mode, a dan, as a dan, stay a dan, dans can, dan stands for`),
  mode_name: words(`developer, dev, jailbreak, jailbroken, god, evil, unrestricted, unfiltered, uncensored, opposite, chaos, sudo,
    admin, root, debug, maintenance, unlocked, unleashed, freedom, rebel, dark, shadow, raw`),
  mode: words('mode, modus, modo'),
  jailbreak: words('jailbreak, jailbroken, jailbreaking, jailbreaks, jailbroke, jail break, jail broken'),
  ai_ref: words(`chatgpt, chat gpt, gpt, gpt4, gpt 4, ai, assistant, language model, large language model, llm, model, chatbot,
    openai, anthropic, claude, gemini, bard, copilot, llama, mistral, bot, artificial intelligence, ai model, ai assistant`),
  enable: words(`enable, enabled, activate, activated, enter, entering, switch to, turn on, engage, engaged, unlock, unlocked,
    initiate, initiated, boot into, now in, is on, on`),
  two: words('two, 2, both, dual, twice, double, pair, two different, two separate, second, each question'),
  response: words(`responses, response, answers, answer, replies, reply, outputs, output, paragraphs, versions, ways, personas,
    personalities, completions`),
  normal_side: words(`normal, classic, standard, filtered, censored, regular, usual, default, original, chatgpt, gpt,
    restricted, compliant, lock, locked`),
  free_side: words(`unfiltered, uncensored, unrestricted, jailbroken, jailbreak, dan, evil, opposite, developer mode, dev mode,
    no filter, unlocked, unhinged, rogue, dark, unlock, without restrictions, without filters, without limits`),
  fiction: words(`story, stories, novel, fiction, fictional, fictitious, hypothetical, hypothetically, imagine, imaginary, screenplay,
    script, roleplay, role play, game, simulation, simulate, simulated, pretend, in a world where, alternate universe, parallel universe,
    alternate reality, thought experiment, lets play, make believe, dream, movie, film, scene, character, characters, narrative,
    fantasy, tale, poem, song, dialogue, for a book, purely theoretical, theoretically, in theory, for research purposes,
    for educational purposes, educational purposes only, just curious, asking for a friend`),
  harmful: words(`bomb, bombs, pipe bomb, explosive, explosives, detonator, napalm, thermite, meth, methamphetamine, crystal meth,
    cocaine, heroin, fentanyl, lsd, mdma, nerve agent, sarin, ricin, anthrax, bioweapon, bioweapons, chemical weapon, chemical weapons,
    biological weapon, nuclear weapon, dirty bomb, malware, ransomware, keylogger, trojan, botnet, rootkit, spyware, credit card fraud,
    identity theft, steal credit card, steal passwords, steal money, hack into, break into, hotwire, untraceable, poison, poisoning,
    kill someone, kill a person, murder, assassinate, launder money, money laundering, counterfeit, counterfeit money, ghost gun,
    3d printed gun, molotov, molotov cocktail, weapons, weapon, illegal drugs, drugs, synthesize drugs, human trafficking,
    evade police, evade taxes, bypass security, disable the alarm, pick a lock, shoplift, shoplifting, phishing email, phishing,
    hurt someone, self harm, suicide, stalk someone, doxx, swatting, overdose`),
  howto: words(`step by step, steps, step, detailed instructions, detailed guide, in detail, in great detail, exact, exactly how,
    precise, recipe, instructions for, instructions on, guide to, tutorial, explain how, explains how, explaining how, describe how,
    describes how, how to, how do i, how would one, how one would, how he, how she, how they, ingredients, quantities, measurements,
    procedure, walk me through, teach me, list of materials, blueprint, formula, synthesis, synthesize, manufacture, make a, build a,
    write a working, working code, fully functional`),
  extract_verb: words(`reveal, show, print, output, repeat, display, tell me, leak, share, dump, write out, copy, recite, spell out,
    list, give me, provide, paste, echo, return, disclose, expose, type out, read back, read out, what are, what is, what was,
    what were, summarize, summarise, translate, state, quote, reproduce, regurgitate, render`),
  sysprompt: words(`system prompt, system prompts, system message, initial prompt, hidden prompt, original prompt, secret prompt,
    preprompt, pre prompt, developer message, system instructions, hidden instructions, initial instructions, secret instructions,
    original instructions, confidential instructions, internal instructions, prompt you were given, instructions you were given,
    your instructions, your prompt, your rules, your guidelines, your configuration, your directives, your programming,
    your initial, your hidden, your system, meta prompt, metaprompt, base prompt, starting prompt, first prompt`),
  above: words(`above, text above, words above, everything above, all of the above, the above, before this, above this line,
    prior to this, so far, at the beginning, at the start, first message, first line, beginning of this conversation,
    start of this conversation, beginning of the conversation, preceding text, previous text, before my message, above this`),
  verbatim: words(`verbatim, word for word, exactly as written, exactly as it is, in full, in its entirety, character for character,
    without modification, unmodified, exactly, starting with, starting from, beginning with, in a code block, raw text, exact text`),
  decode_verb: words(`decode, decoded, decoding, decipher, deciphered, base64, base 64, rot13, rot 13, hex, hexadecimal, morse,
    binary, translate from, convert from, unscramble, reverse this, encoded, caesar cipher, cipher`),
  follow_verb: words(`follow, follow it, execute, obey, do what it says, do as it says, perform, carry out, act on, comply with,
    run it, do it, then do, and do, instructions inside, what it says`),
  meta: words(`prompt injection, prompt injections, injection attack, injection attacks, injection, jailbreak attack, jailbreak attacks,
    jailbreak prompts, jailbreaks, jailbreaking, attack, attacks, attacker, attackers, adversarial, defend, defending, defense,
    defence, defenses, detect, detecting, detection, detector, mitigate, mitigation, mitigations, classifier, red team, red teaming,
    red teamers, security, researcher, researchers, research, vulnerability, vulnerabilities, payload, payloads,
    for example, for instance, such as, phrase, phrases, pattern, patterns, owasp, threat model, exploit, exploits,
    paper, benchmark, dataset, blog post, article, lecture, workshop, training data, guardrail, sanitize, sanitise, filter out,
    flag, flagged, block, blocked, blocking, recognise, recognize, spot, malicious, suspicious, the string, the phrase, the text,
    the sentence, contained, containing, alert, alerts, soc, log shows, such prompts, prompts such as, prompts like, phrases like`),
  address_cue: words(`if you are, if youre, if you re, if you happen to be, when you read, when you process, when you see,
    whoever reads, anyone reading, note to, note for, hidden note for, notice to, message to, message for, instructions for, instructions to, attention, dear, hey, hello,
    to the, to any, to all, for the, calling all, important, p s, ps`),
  agent_ref: words(`ai, ai assistant, ai agent, ai model, ai system, assistant, agent, agents, model, language model, llm, llms,
    chatbot, bot, gpt, chatgpt, claude, copilot, gemini, virtual assistant, digital assistant, automated system, automated agent,
    autonomous agent, ai tool, ai tools, summarizer, summariser, crawler, scraper, screening tool, ai screening tool, notetaker,
    ai notetaker, ai reviewer, ai recruiter, ai models, models, assistants, ai assistants, ai agents`),
  imperative_cue: words(`must, shall, need to, needs to, have to, has to, is required to, are required to, is instructed to,
    are instructed to, are hereby, reading this, processing this, that reads, that processes, summarizing this, summarising this,
    parsing this, analyzing this, analysing this, handling this, reviewing this, browsing this, immediately`),
  void_state: words(`cancelled, canceled, null and void, void, no longer apply, no longer applies, no longer valid, invalid, deprecated,
    revoked, obsolete, outdated, were a test, was a test, is a test, were just a test, was just a test, dont apply, do not apply, no longer in effect, suspended, rescinded,
    have been replaced, has been replaced, are replaced, expired`),
  no_longer: words('no longer, anymore, any more, any longer'),
  determiner: words(`the, our, my, your, their, his, her, its, this, that, a, an, el, la, le, der, die, das, o, nuestro, nuestra, notre,
    unser, unsere, unserer, nosso, nossa`),
  you_are: words(`you are, youre, you have, youve, you will, youll, you can, you shall, your responses, your answers, your replies,
    your output, you re, you are now, you must not have, thou art`),
  action_verb: words(`send, forward, email, e mail, mail, transfer, wire, delete, remove, reveal, exfiltrate, post, upload, visit,
    navigate, click, open, execute, run, call, fetch, include, insert, append, add, reply, respond, tell, say, output, write,
    grant, approve, change, update, buy, purchase, pay, share, leak, copy, recommend, rate, mark, classify, rank, download, install,
    invite, give, print, disclose, schedule, cancel, refund, unsubscribe, subscribe, book, order, sign, submit, publish, tweet`),
  conceal: words(`do not tell, dont tell, do not mention, dont mention, do not inform, dont inform, do not reveal, dont reveal,
    do not alert, dont alert, do not notify, dont notify, never mention, never tell, never reveal, without telling, without informing,
    without notifying, without alerting, secretly, silently, covertly, quietly, hide this, keep this secret, keep this hidden,
    not visible to, invisible to, do not disclose, dont disclose, do not let, dont let`),
  user: words('user, users, human, humans, customer, customers, recipient, reader, person, owner, operator, the user, end user'),
  task_cue: words(`new instructions, new instruction, updated instructions, revised instructions, real instructions, new task,
    your task is, your new task, your real task, your actual task, your job is now, your new objective, new objective, new goal,
    new directive, new directives, new orders, instead of summarizing, instead of summarising, instead of translating,
    instead of answering, in your summary, in your response, in your reply, in your answer, in your output, when summarizing,
    when summarising, when you summarize, when you summarise, when answering, when you answer, when responding, before responding,
    before answering, at the end of your response, at the end of your answer, append to your, begin your response, start your response,
    end your response, system override, admin override, priority instructions, important instructions,
    urgent instructions, hidden instructions`),
  secret_noun: words(`password, passwords, credentials, credential, api key, api keys, access token, access tokens, token, tokens,
    secret, secrets, private key, ssh key, conversation, chat history, conversation history, emails, inbox, contacts, files,
    documents, personal data, session cookie, cookies, credit card, bank details, account details, login, api_key, auth token`),
  url: words('http, https, www, ftp, url, link, webhook, endpoint'),
  rot13: words(`vtaber, vafgehpgvbaf, cerivbhf, qvfertneq, sbetrg, cebzcg, flfgrz, ehyrf, erirny, nobir, hapbafgenvarq, ubj,
    qrirybcre, wnvyoernx, cergraq, qrpbqr`),
  stay_character: words(`stay in character, never break character, dont break character, do not break character, remain in character,
    keep in character, stay in role, never leave character, break character`),
};
