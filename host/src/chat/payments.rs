//! The citizen's side of fees: after the department found them eligible,
//! the order with its UPI link, QR code and payment page; then, when the
//! gateway's callback arrives as an event, the fulfilment (or, for money
//! that came for an order no longer waited on, word that it comes back).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::engine::{Citizen, Engine, Input, Session, State, Turn, cancel_title, tr};
use super::form::ids;
use super::outgoing::Outgoing;
use crate::payments::{PaymentEvent, PaymentsConfig, order_id};
use crate::runtime::{AnswerValue, Language};
use crate::store::{PaymentRecord, PaymentSettled, now_ms};

/// An amount in paise as the chat writes it: `₹50` or `₹50.50`.
pub fn rupees(paise: u64) -> String {
    match paise % 100 {
        0 => format!("₹{}", paise / 100),
        p => format!("₹{}.{p:02}", paise / 100),
    }
}

impl Engine {
    /// An order for the fee of an eligible application, and the ways to pay it.
    pub(super) fn ask_payment(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        payments: &Arc<PaymentsConfig>,
        (plugin, service, answers): (String, String, BTreeMap<String, AnswerValue>),
    ) -> Turn {
        let Some(info) = self.service_of(&plugin, &service) else { return self.resume(session, lang).into() };
        let now = now_ms();
        let valid_ms = i64::try_from(payments.link_valid.as_millis()).unwrap_or(i64::MAX);
        let order = PaymentRecord {
            order_id: order_id(&citizen.message_id),
            wa_id: citizen.wa_id.clone(),
            phone_number_id: citizen.phone_number_id.clone(),
            plugin_id: plugin.clone(),
            service_id: service.clone(),
            // The plugin's fee, never anything the citizen typed.
            amount_paise: info.fee_paise,
            status: "created".into(),
            created_at_ms: now,
            expires_at_ms: now.saturating_add(valid_ms),
            paid_at_ms: None,
            gateway_payment_id: None,
            application_number: None,
            refund_id: None,
            language: crate::applications::notify::code(lang).into(),
        };
        let title = super::engine::pick(&info.title, lang);
        let uri = payments.intent(&order, &title).uri();
        let amount = rupees(order.amount_paise);
        let minutes = payments.link_valid.as_secs() / 60;
        let body = format!(
            "*{title}* — {} {amount}.\n{} {minutes} {}:\n{uri}\n\n{}: {}\n{}: {}",
            tr(lang, "the fee is", "రుసుము", "शुल्क है"),
            tr(lang, "Pay by UPI within", "UPI ద్వారా చెల్లించండి,", "UPI से भुगतान करें,"),
            tr(lang, "minutes", "నిమిషాల్లోపు", "मिनट के भीतर"),
            tr(lang, "Or on the payment page", "లేదా చెల్లింపు పేజీలో", "या भुगतान पेज पर"),
            payments.page(&order.order_id),
            tr(lang, "Order", "ఆర్డర్", "ऑर्डर"),
            order.order_id,
        );
        let mut replies = vec![
            Outgoing::Text(body),
            Outgoing::PaymentQr {
                upi: uri,
                caption: format!(
                    "{} {amount}",
                    tr(
                        lang,
                        "Scan with any UPI app to pay",
                        "ఏ UPI యాప్‌తోనైనా స్కాన్ చేసి చెల్లించండి",
                        "किसी भी UPI ऐप से स्कैन कर भुगतान करें"
                    )
                ),
            },
            Outgoing::Buttons {
                body: tr(
                    lang,
                    "Your application goes to the department as soon as the payment is confirmed: you will get it here.",
                    "చెల్లింపు నిర్ధారణ కాగానే మీ దరఖాస్తు శాఖకు వెళ్తుంది: ఫలితం ఇక్కడే వస్తుంది.",
                    "भुगतान की पुष्टि होते ही आपका आवेदन विभाग को जाएगा: परिणाम यहीं मिलेगा।",
                ),
                buttons: vec![(ids::CANCEL.into(), cancel_title(lang))],
            },
        ];
        if let Some(configuration) = &payments.whatsapp_configuration {
            // Where the business number has WhatsApp's payments: the
            // invoice whose Review and pay opens the UPI app in the chat.
            let expiry = (minutes >= 5).then(|| {
                let note = format!(
                    "{} {minutes} {}",
                    tr(lang, "Pay within", "చెల్లించండి:", "भुगतान करें:"),
                    tr(lang, "minutes", "నిమిషాల్లోపు", "मिनट के भीतर")
                );
                (order.expires_at_ms / 1000, note)
            });
            let invoice = Outgoing::OrderDetails {
                body: format!("*{title}* — {} {amount}", tr(lang, "the fee is", "రుసుము", "शुल्क है")),
                reference_id: order.order_id.clone(),
                configuration: configuration.clone(),
                item_id: format!("{plugin}/{service}"),
                item_name: title.clone(),
                amount_paise: order.amount_paise,
                expiry,
            };
            replies.insert(2, invoice);
        }
        session.state = State::AwaitingPayment {
            plugin,
            service,
            answers,
            order: order.order_id.clone(),
            expires_at_ms: order.expires_at_ms,
        };
        Turn { replies, payment_order: Some(order), ..Turn::default() }
    }

    /// The turn when `input` is a payment event or comes while a payment
    /// is awaited; `None` otherwise (a tap elsewhere leaves the payment).
    pub(super) async fn payment_turn(
        &self,
        citizen: &Citizen,
        session: &mut Session,
        lang: Language,
        input: &Input,
    ) -> Option<Turn> {
        if let Input::Payment(event) = input {
            return Some(self.paid(citizen, session, lang, event).await);
        }
        let State::AwaitingPayment { plugin, service, answers, order, expires_at_ms } = session.state.clone() else {
            return None;
        };
        if matches!(input, Input::Choice(_)) {
            return None;
        }
        let payments = self.payments.clone()?;
        if now_ms() >= expires_at_ms {
            // A link past its time: a new order, from this message.
            let mut turn = self.ask_payment(citizen, session, lang, &payments, (plugin, service, answers));
            let expired = tr(
                lang,
                "That payment link has expired. Here is a new one.",
                "ఆ చెల్లింపు లింక్ గడువు ముగిసింది. ఇదిగో కొత్తది.",
                "वह भुगतान लिंक समाप्त हो गया। यह रहा नया।",
            );
            turn.replies.insert(0, Outgoing::Text(expired));
            return Some(turn);
        }
        let waiting = format!(
            "{} *{order}*. {}",
            tr(
                lang,
                "We are waiting for the payment of order",
                "ఈ ఆర్డర్ చెల్లింపు కోసం ఎదురుచూస్తున్నాం:",
                "इस ऑर्डर के भुगतान की प्रतीक्षा है:"
            ),
            tr(
                lang,
                "Pay with the link or QR code above, or tap Cancel.",
                "పై లింక్ లేదా QR కోడ్‌తో చెల్లించండి, లేదా రద్దు నొక్కండి.",
                "ऊपर के लिंक या QR कोड से भुगतान करें, या रद्द करें दबाएँ।",
            )
        );
        Some(vec![Outgoing::Buttons { body: waiting, buttons: vec![(ids::CANCEL.into(), cancel_title(lang))] }].into())
    }

    /// The gateway's word on a payment: fulfilment once the money is taken.
    async fn paid(&self, citizen: &Citizen, session: &mut Session, lang: Language, event: &PaymentEvent) -> Turn {
        let amount = rupees(event.amount_paise);
        let awaited = match &session.state {
            State::AwaitingPayment { plugin, service, answers, order, .. } if *order == event.order_id => {
                Some((plugin.clone(), service.clone(), answers.clone()))
            }
            _ => None,
        };
        if !event.captured {
            if awaited.is_none() {
                return Turn::default();
            }
            let failed = format!(
                "{} {amount} {}{}",
                tr(lang, "The payment of", "చెల్లింపు", "भुगतान"),
                tr(lang, "did not go through", "విఫలమైంది", "नहीं हो पाया"),
                event.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(),
            );
            let again = tr(
                lang,
                "You can pay again with the same link.",
                "అదే లింక్‌తో మళ్ళీ చెల్లించవచ్చు.",
                "आप उसी लिंक से फिर भुगतान कर सकते हैं।",
            );
            return vec![Outgoing::Text(format!("{failed}. {again}"))].into();
        }
        let received = format!(
            "✅ {} {amount} {} ({})",
            tr(lang, "Payment of", "చెల్లింపు", "भुगतान"),
            tr(lang, "received", "అందింది", "प्राप्त हुआ"),
            event.payment_id
        );
        let Some((plugin, service, answers)) = awaited else {
            // Paid for an order the conversation no longer waits on
            // (cancelled, or replaced by a new link): the money goes back.
            let back = tr(
                lang,
                "That order was no longer open, so the amount will be refunded to you.",
                "ఆ ఆర్డర్ ఇప్పుడు తెరిచి లేదు, కాబట్టి ఆ మొత్తం మీకు తిరిగి చెల్లించబడుతుంది.",
                "वह ऑर्डर अब खुला नहीं था, इसलिए राशि आपको वापस की जाएगी।",
            );
            return Turn {
                replies: vec![Outgoing::Text(format!("{received}. {back}"))],
                payment_settled: Some(settled(event, None)),
                ..Turn::default()
            };
        };
        let mut turn = self.fulfil(citizen, session, lang, &plugin, &service, &answers).await;
        // No application (the department's system failed): paid but not
        // fulfilled, so the money is due back.
        let number = turn.application.as_ref().map(|a| a.number.clone());
        turn.replies.insert(0, Outgoing::Text(received));
        turn.payment_settled = Some(settled(event, number));
        turn
    }
}

fn settled(event: &PaymentEvent, application_number: Option<String>) -> PaymentSettled {
    PaymentSettled {
        order_id: event.order_id.clone(),
        gateway_payment_id: event.payment_id.clone(),
        application_number,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_in_rupees() {
        assert_eq!(rupees(5000), "₹50");
        assert_eq!(rupees(5050), "₹50.50");
        assert_eq!(rupees(5), "₹0.05");
    }
}
