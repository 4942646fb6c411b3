//! Voice in the conversation. A voice note is heard ([`crate::voice`]) and
//! its words go through the engine exactly as typed text would, after "I
//! heard: …" with a No button: a "no" (said, typed or tapped) right after
//! puts the citizen back where they were. A citizen who speaks gets each
//! turn's replies spoken too, lists and buttons read out with their numbers
//! ("say 2 for …"); the language menu turns spoken replies on and off.

use std::sync::Arc;

use super::engine::{Citizen, Engine, Input, Session, State, Turn, pick, tr};
use super::outgoing::{Outgoing, Row};
use crate::runtime::{FieldKind, Language, Media};
use crate::voice::{Unheard, Voice};

/// The No button under "I heard: …".
pub const HEARD_NO: &str = "heard:no";
/// The language menu's rows that turn spoken replies on and off.
pub const VOICE_ON: &str = "voice:on";
pub const VOICE_OFF: &str = "voice:off";

/// The longest spoken reply, in characters: a voice note of about a
/// minute. Longer turns are cut at a sentence.
const MAX_SPOKEN: usize = 900;

/// Words every voice note may say, besides the catalogue's names and what
/// is on offer: the offline recogniser listens for these and nothing else.
const COMMANDS: &[&str] = &[
    "yes",
    "no",
    "back",
    "menu",
    "help",
    "cancel",
    "submit",
    "edit",
    "skip",
    "more",
    "next",
    "status",
    "english",
    "telugu",
    "hindi",
    "hello",
    "voice on",
    "voice off",
    "language",
];

/// Number words in the three languages, by value (0–20); a transcript that
/// is only numbers becomes digits, so "two" picks row 2 as "2" would.
const NUMBERS: &[(&str, u32)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("సున్నా", 0),
    ("ఒకటి", 1),
    ("రెండు", 2),
    ("మూడు", 3),
    ("నాలుగు", 4),
    ("ఐదు", 5),
    ("ఆరు", 6),
    ("ఏడు", 7),
    ("ఎనిమిది", 8),
    ("తొమ్మిది", 9),
    ("పది", 10),
    ("शून्य", 0),
    ("एक", 1),
    ("दो", 2),
    ("तीन", 3),
    ("चार", 4),
    ("पाँच", 5),
    ("पांच", 5),
    ("छह", 6),
    ("छः", 6),
    ("सात", 7),
    ("आठ", 8),
    ("नौ", 9),
    ("दस", 10),
];

/// Words said before a number that do not change it ("number two").
const NUMBER_LEADS: &[&str] = &["number", "option", "row", "నంబర్", "नंबर"];

/// What `transcript` would have been typed as: numbers said as words become
/// digits ("number two" → "2", "four nine nine one" → "4991"); anything
/// else is kept as it was heard.
pub fn as_typed(transcript: &str) -> String {
    let words: Vec<String> = transcript
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).skip_while(|w| NUMBER_LEADS.contains(w)).collect();
    let values: Option<Vec<u32>> = words
        .iter()
        .map(|w| {
            NUMBERS
                .iter()
                .find(|(word, _)| word == w)
                .map(|(_, n)| *n)
                .or_else(|| w.parse().ok().filter(|_| w.chars().all(|c| c.is_ascii_digit())))
        })
        .collect();
    match values {
        Some(values) if !values.is_empty() => values.iter().map(u32::to_string).collect(),
        _ => transcript.trim().to_owned(),
    }
}

/// Whether `text` is a "no" in one of the three languages.
fn is_no(text: &str) -> bool {
    let text = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    ["no", "nope", "wrong", "కాదు", "లేదు", "नहीं", "नही", "गलत"].contains(&text.as_str())
}

impl Engine {
    /// Hears voice notes and speaks replies; without it a voice note is told
    /// to be typed instead.
    pub fn with_voice(mut self, voice: Option<Arc<Voice>>) -> Self {
        self.voice = voice;
        self
    }

    /// The turn for voice note `media`; `heard_before` is where the citizen
    /// was before their last voice note, if the turn before was one.
    pub(super) async fn heard(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        media: Media,
        heard_before: Option<State>,
    ) -> Turn {
        let lang = session.language.unwrap_or(Language::En);
        let Some(voice) = &self.voice else {
            return vec![Outgoing::Text(super::engine::unsupported(lang, "audio"))].into();
        };
        // Whoever speaks is answered in speech too, even when not understood.
        session.voice = true;
        let phrases = self.phrases(session);
        let sha256 = (!media.sha256.is_empty()).then_some(media.sha256.as_str());
        let words = match voice.hear(&media.id, sha256, lang, &phrases).await {
            Ok(words) => words,
            Err(unheard) => {
                tracing::info!(reason = %unheard, "a voice note was not understood");
                if let Some(before) = heard_before {
                    session.heard_before = Some(before);
                }
                return vec![Outgoing::Text(not_heard(lang, &unheard))].into();
            }
        };
        let typed = as_typed(&words);
        tracing::info!(heard = %typed, "a voice note was understood");
        if is_no(&typed)
            && let Some(before) = heard_before
            && !self.asks_yes_or_no(session)
        {
            return self.undo_heard(session, before);
        }
        let before = session.state.clone();
        let mut turn = Box::pin(self.turn(citizen, session, Input::Text(typed.clone()))).await;
        let lang = session.language.unwrap_or(lang);
        let said = Outgoing::Buttons {
            body: format!("🎤 {} *{typed}*", tr(lang, "I heard:", "నేను విన్నది:", "मैंने सुना:")),
            buttons: vec![(HEARD_NO.into(), tr(lang, "No, that's wrong", "కాదు, తప్పు", "नहीं, गलत"))],
        };
        turn.replies.insert(0, said);
        session.heard_before = Some(before);
        turn
    }

    /// A "no" (tapped, typed or said) to what was just heard: the citizen is
    /// back where they were, asked to say it again. `None` for any other
    /// input, or when nothing was just heard.
    pub(super) fn unheard(&self, session: &mut Session, heard_before: Option<State>, input: &Input) -> Option<Turn> {
        let before = heard_before?;
        let no = match input {
            Input::Choice(id) => id == HEARD_NO,
            Input::Text(text) => is_no(text) && !self.asks_yes_or_no(session),
            _ => false,
        };
        no.then(|| self.undo_heard(session, before))
    }

    fn undo_heard(&self, session: &mut Session, before: State) -> Turn {
        let lang = session.language.unwrap_or(Language::En);
        session.state = before;
        let mut replies = vec![Outgoing::Text(tr(
            lang,
            "Sorry about that. Please say it again, slowly, or type it.",
            "క్షమించండి. దయచేసి మళ్ళీ నెమ్మదిగా చెప్పండి, లేదా టైప్ చేయండి.",
            "क्षमा करें। कृपया फिर से धीरे बोलें, या लिख दें।",
        ))];
        replies.extend(self.resume(session, lang));
        replies.into()
    }

    /// Turns spoken replies on or off: the language menu's row, or typed
    /// "voice on" / "voice off".
    pub(super) fn voice_switch(&self, session: &mut Session, input: &Input) -> Option<Turn> {
        let on = match input {
            Input::Choice(id) if id == VOICE_ON => true,
            Input::Choice(id) if id == VOICE_OFF => false,
            Input::Text(text) => match text.trim().to_lowercase().as_str() {
                "voice on" | "voice" | "speak" => true,
                "voice off" | "mute" => false,
                _ => return None,
            },
            _ => return None,
        };
        let lang = session.language.unwrap_or(Language::En);
        let said = match (on, self.voice.is_some()) {
            (_, false) => tr(
                lang,
                "Spoken replies are not available on this number. Please type your request.",
                "ఈ నంబర్‌లో మాట్లాడే సమాధానాలు అందుబాటులో లేవు. దయచేసి టైప్ చేయండి.",
                "इस नंबर पर बोले गए उत्तर उपलब्ध नहीं हैं। कृपया लिखें।",
            ),
            (true, true) => tr(
                lang,
                "🔊 Voice replies are on: I will speak each answer as well as write it. You can also send me voice notes.",
                "🔊 మాట్లాడే సమాధానాలు ఆన్: ప్రతి సమాధానాన్ని రాయడంతో పాటు వినిపిస్తాను. మీరు వాయిస్ సందేశాలు కూడా పంపవచ్చు.",
                "🔊 बोले गए उत्तर चालू: हर उत्तर लिखने के साथ सुनाऊँगा। आप वॉइस संदेश भी भेज सकते हैं।",
            ),
            (false, true) => tr(
                lang,
                "🔇 Voice replies are off. Choose them again from the language menu (type \"language\").",
                "🔇 మాట్లాడే సమాధానాలు ఆఫ్. మళ్ళీ కావాలంటే భాష మెనూ నుండి ఎంచుకోండి (\"భాష\" అని టైప్ చేయండి).",
                "🔇 बोले गए उत्तर बंद। फिर से चाहिए तो भाषा मेनू से चुनें (\"भाषा\" लिखें)।",
            ),
        };
        session.voice = on && self.voice.is_some();
        if matches!(session.state, State::ChoosingLanguage) && session.language.is_some() {
            session.state = State::Menu { page: 0 };
        }
        let mut replies = vec![Outgoing::Text(said)];
        replies.extend(self.resume(session, lang));
        Some(replies.into())
    }

    /// The language menu: three buttons, or, where voice is served, a list
    /// with a row turning spoken replies on or off.
    pub(super) fn language_menu(&self, session: &Session) -> Outgoing {
        let choose = super::engine::language_buttons();
        if self.voice.is_none() {
            return choose;
        }
        let Outgoing::Buttons { body, buttons } = choose else { return choose };
        let mut rows: Vec<Row> = buttons.into_iter().map(|(id, title)| Row { id, title, description: None }).collect();
        rows.push(if session.voice {
            Row {
                id: VOICE_OFF.into(),
                title: "🔇 Voice replies: off".into(),
                description: Some("Only written answers · రాత మాత్రమే · केवल लिखित".into()),
            }
        } else {
            Row {
                id: VOICE_ON.into(),
                title: "🔊 Voice replies: on".into(),
                description: Some("Answers spoken too · మాటల్లో కూడా · बोलकर भी".into()),
            }
        });
        Outgoing::List { body, button: "Language · భాష · भाषा".into(), rows, also: None }
    }

    /// Whether the question being asked takes "no" as an answer.
    fn asks_yes_or_no(&self, session: &Session) -> bool {
        let Some(field) = self.current_field_of(session) else { return false };
        match field.kind {
            FieldKind::Choice(options) => options.iter().any(|o| is_no(&pick(&o.label, Language::En))),
            _ => false,
        }
    }

    /// What the offline recogniser listens for here: the numbers of what is
    /// on offer (only those: "thirteen" among the phrases when there is no
    /// thirteenth row only takes hearings from the words), commands, the
    /// departments' and services' names and keywords, and the titles of
    /// what is on offer (a form's choices included), in English.
    fn phrases(&self, session: &Session) -> Vec<String> {
        let offered = session.offered.len().min(20);
        let mut phrases: Vec<String> = NUMBERS[1..=offered].iter().map(|(w, _)| w.to_string()).collect();
        phrases.extend(COMMANDS.iter().map(|c| c.to_string()));
        for plugin in self.catalog.plugins() {
            let info = plugin.info();
            phrases.push(pick(&info.name, Language::En));
            for service in &info.services {
                phrases.push(pick(&service.title, Language::En));
                phrases.extend(service.keywords.en.iter().cloned());
            }
        }
        for id in &session.offered {
            phrases.extend(self.offer(session, id).titles.into_iter().take(1));
        }
        if let Some(field) = self.current_field_of(session)
            && let FieldKind::Choice(options) = field.kind
        {
            phrases.extend(options.iter().map(|o| pick(&o.label, Language::En)));
        }
        let mut phrases: Vec<String> = phrases.into_iter().map(|p| p.to_lowercase()).collect();
        phrases.sort();
        phrases.dedup();
        phrases
    }
}

/// What a citizen is told when their voice note gave no words, and how on.
fn not_heard(lang: Language, why: &Unheard) -> String {
    match why {
        Unheard::Unclear => tr(
            lang,
            "🎤 Sorry, I could not make out your voice note. Please say it again, slowly and close to the phone, or type it. You can say a number from the list, or a service such as \"birth certificate\".",
            "🎤 క్షమించండి, మీ వాయిస్ సందేశం అర్థం కాలేదు. దయచేసి ఫోన్ దగ్గరగా నెమ్మదిగా మళ్ళీ చెప్పండి, లేదా టైప్ చేయండి. జాబితాలోని నంబర్ లేదా \"జనన ధృవీకరణ పత్రం\" వంటి సేవ పేరు చెప్పవచ్చు.",
            "🎤 क्षमा करें, आपका वॉइस संदेश समझ नहीं आया। कृपया फ़ोन के पास धीरे-धीरे फिर बोलें, या लिख दें। सूची का नंबर या \"जन्म प्रमाण पत्र\" जैसी सेवा का नाम बोल सकते हैं।",
        ),
        Unheard::Unavailable(_) => tr(
            lang,
            "🎤 Voice notes cannot be understood right now. Please type your request, or send the voice note again in a few minutes.",
            "🎤 ప్రస్తుతం వాయిస్ సందేశాలను అర్థం చేసుకోలేకపోతున్నాం. దయచేసి టైప్ చేయండి, లేదా కొన్ని నిమిషాల తర్వాత మళ్ళీ పంపండి.",
            "🎤 अभी वॉइस संदेश समझे नहीं जा सकते। कृपया लिखें, या कुछ मिनट बाद फिर भेजें।",
        ),
        Unheard::Unplayable(_) => tr(
            lang,
            "🎤 Sorry, that recording could not be played. Please record a new voice note (hold the microphone button), or type your request.",
            "🎤 క్షమించండి, ఆ రికార్డింగ్ ప్లే కాలేదు. దయచేసి కొత్త వాయిస్ సందేశం రికార్డ్ చేయండి (మైక్ బటన్ నొక్కి పట్టండి), లేదా టైప్ చేయండి.",
            "🎤 क्षमा करें, वह रिकॉर्डिंग चल नहीं सकी। कृपया नया वॉइस संदेश रिकॉर्ड करें (माइक बटन दबाकर रखें), या लिखें।",
        ),
    }
}

/// A turn's replies as one text to speak: texts and captions as written
/// (without WhatsApp's formatting marks and emoji), lists and buttons read
/// with the numbers that pick them. `None` when there is nothing to say.
pub fn spoken(replies: &[Outgoing], lang: Language) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let say = |n: usize, title: &str| match lang {
        // "Number one" is heard far more surely than a short "one".
        Language::En => format!("Say number {n} for {title}."),
        Language::Te => format!("{title} కోసం {n} అని చెప్పండి."),
        Language::Hi => format!("{title} के लिए {n} बोलें।"),
    };
    for reply in replies {
        match reply {
            Outgoing::Text(text) => parts.push(plain(text)),
            Outgoing::Buttons { body, buttons } if buttons.len() == 1 && buttons[0].0 == HEARD_NO => {
                parts.push(plain(body));
                parts.push(tr(lang, "If that is wrong, say no.", "అది తప్పైతే, కాదు అని చెప్పండి.", "गलत हो तो नहीं बोलें।"));
            }
            Outgoing::Buttons { body, buttons } => {
                parts.push(plain(body));
                parts.extend(buttons.iter().enumerate().map(|(i, (_, title))| say(i + 1, &plain(title))));
            }
            Outgoing::List { body, rows, also, .. } => {
                parts.push(plain(body));
                let rows = rows.iter().chain(also.iter().flat_map(|(_, rows)| rows));
                parts.extend(rows.enumerate().map(|(i, row)| say(i + 1, &plain(&row.title))));
            }
            Outgoing::Document { caption, .. }
            | Outgoing::Certificate { caption, .. }
            | Outgoing::PaymentQr { caption, .. } => parts.push(plain(caption)),
            Outgoing::OrderDetails { body, .. } => parts.push(plain(body)),
            Outgoing::Template { .. } | Outgoing::Speech { .. } => {}
        }
    }
    let mut text = String::new();
    let parts = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).map(|p| {
        // A pause between messages, where one does not end a sentence.
        if p.ends_with(['.', '?', '!', ':', '।']) { p.to_owned() } else { format!("{p}.") }
    });
    for part in parts {
        let needed = text.chars().count() + part.chars().count() + 1;
        if needed > MAX_SPOKEN && !text.is_empty() {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.extend(part.chars().take(MAX_SPOKEN));
    }
    (!text.is_empty()).then_some(text)
}

/// `text` as it should be read out: no `*bold*` or `_italic_` marks, no
/// emoji, one line.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let emoji = matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D | 0x2190..=0x21FF);
        if emoji || matches!(c, '*' | '_' | '~' | '`' | '✓' | '•' | '·') {
            continue;
        }
        if c == '\n' {
            if !out.trim_end().ends_with(['.', '?', '!', ':', '।']) && !out.trim().is_empty() {
                out.push('.');
            }
            out.push(' ');
            continue;
        }
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_said_as_words_are_typed_as_digits() {
        assert_eq!(as_typed("two"), "2");
        assert_eq!(as_typed("Number Two"), "2");
        assert_eq!(as_typed("four nine nine one"), "4991");
        assert_eq!(as_typed("రెండు"), "2");
        assert_eq!(as_typed("नंबर तीन"), "3");
        assert_eq!(as_typed("twelve"), "12");
        assert_eq!(as_typed("birth certificate"), "birth certificate");
        assert_eq!(as_typed("two wheeler licence"), "two wheeler licence");
        assert_eq!(as_typed(" 5 "), "5");
    }

    #[test]
    fn a_no_in_any_language_is_recognised_and_nothing_else() {
        for no in ["no", "No.", "కాదు", "नहीं"] {
            assert!(is_no(no), "{no}");
        }
        for other in ["not sure", "yes", "2", "nothing"] {
            assert!(!is_no(other), "{other}");
        }
    }

    #[test]
    fn lists_and_buttons_are_read_with_the_numbers_that_pick_them() {
        let replies = vec![
            Outgoing::Buttons {
                body: "🎤 I heard: *birth certificate*".into(),
                buttons: vec![(HEARD_NO.into(), "No".into())],
            },
            Outgoing::List {
                body: "Pick a *service*:".into(),
                button: "Services".into(),
                rows: vec![
                    Row { id: "svc:m/birth".into(), title: "Birth certificate".into(), description: None },
                    Row { id: "svc:m/death".into(), title: "Death certificate".into(), description: None },
                ],
                also: Some((
                    "Yours".into(),
                    vec![Row { id: "files".into(), title: "My applications".into(), description: None }],
                )),
            },
        ];
        let said = spoken(&replies, Language::En).unwrap();
        assert_eq!(
            said,
            "I heard: birth certificate. If that is wrong, say no. Pick a service: Say number 1 for Birth certificate. \
             Say number 2 for Death certificate. Say number 3 for My applications."
        );
        let te = spoken(&replies[1..], Language::Te).unwrap();
        assert!(te.contains("Birth certificate కోసం 1 అని చెప్పండి."), "{te}");
        assert_eq!(spoken(&[], Language::En), None);
    }

    #[test]
    fn a_long_turn_is_cut_at_a_sentence() {
        let replies: Vec<Outgoing> =
            (0..100).map(|i| Outgoing::Text(format!("Sentence number {i} of many."))).collect();
        let said = spoken(&replies, Language::En).unwrap();
        assert!(said.chars().count() <= MAX_SPOKEN, "{}", said.len());
        assert!(said.ends_with("of many."), "{said}");
    }
}
