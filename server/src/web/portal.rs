//! The portal service the pages call (`app::ports::Portal`): each call finds who is asking and
//! hands over to the feature that answers it.

use crate::kernel::AppState;
use crate::kernel::context::debtor_session;
use crate::{back_office, dispute, message, payment, promise, schedule, statement};
use app::error::AppError;
use app::views::agent::{AgentDebtorView, AgentHomeView, QueueView, RulesView};
use app::views::dispute::{AgentDisputeView, DisputeView, DisputesView};
use app::views::message::MessagesView;
use app::views::payment::{PayRequest, PayView, ReceiptView};
use app::views::promise::PromiseView;
use app::views::schedule::ScheduleView;
use app::views::statement::StatementView;

pub struct PortalService {
    pub state: AppState,
}

#[async_trait::async_trait]
impl app::ports::Portal for PortalService {
    async fn statement(&self, session: &str) -> Result<StatementView, AppError> {
        statement::view(&self.state, debtor_session(&self.state, session).await?).await
    }

    async fn payment(&self, session: &str, request: PayRequest) -> Result<PayView, AppError> {
        let ctx = debtor_session(&self.state, session).await?;
        payment::view(&self.state, &ctx, request, app::ports::request_lang()).await
    }

    async fn receipt(&self, session: &str, payment_id: &str) -> Result<ReceiptView, AppError> {
        let ctx = debtor_session(&self.state, session).await?;
        payment::receipt::page(&self.state, ctx, payment_id).await
    }

    async fn schedule(&self, session: &str) -> Result<ScheduleView, AppError> {
        let ctx = debtor_session(&self.state, session).await?;
        // What the debtor typed, when the schedule form's handler sent them back.
        let returned = app::ports::request_cookie(app::ports::FLASH_COOKIE)
            .and_then(|v| schedule::routes::input_from_flash(&v));
        schedule::view(&self.state, ctx, returned).await
    }

    async fn promise(&self, session: &str) -> Result<PromiseView, AppError> {
        promise::view(&self.state, debtor_session(&self.state, session).await?).await
    }

    async fn agent_debtors(
        &self,
        agent: &str,
        search: &str,
        sort: &str,
    ) -> Result<AgentHomeView, AppError> {
        back_office::debtors(&self.state, agent, search, sort).await
    }

    async fn agent_queue(&self, agent: &str) -> Result<QueueView, AppError> {
        back_office::queue(&self.state, agent).await
    }

    async fn agent_debtor(
        &self,
        agent: &str,
        debtor_id: &str,
    ) -> Result<AgentDebtorView, AppError> {
        back_office::debtor_page(&self.state, agent, debtor_id).await
    }

    async fn agent_rules(&self, agent: &str) -> Result<RulesView, AppError> {
        back_office::rules_page(&self.state, agent).await
    }

    async fn disputes(&self, session: &str) -> Result<DisputesView, AppError> {
        dispute::list_view(&self.state, debtor_session(&self.state, session).await?).await
    }

    async fn dispute(&self, session: &str, id: &str) -> Result<DisputeView, AppError> {
        dispute::one_view(&self.state, debtor_session(&self.state, session).await?, id).await
    }

    async fn messages(&self, session: &str) -> Result<MessagesView, AppError> {
        message::view(&self.state, debtor_session(&self.state, session).await?).await
    }

    async fn agent_dispute(&self, agent: &str, id: &str) -> Result<AgentDisputeView, AppError> {
        dispute::agent::view(&self.state, agent, id).await
    }

    fn payment_origins(&self) -> String {
        self.state.config.payment_origins()
    }
}
